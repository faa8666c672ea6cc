namespace RocketMqSource.Testing;

/// <summary>The one polling helper: waits on a condition with a generous deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Polls a condition that has to ask something remote (a cluster, another process) every
    /// <paramref name="interval"/>; on timeout the message ends with <paramref name="lastSeen"/>, what
    /// was observed last.
    /// </summary>
    public static async Task WaitAsync(
        Func<CancellationToken, Task<bool>> condition, string what, TimeSpan timeout, TimeSpan interval,
        Func<string>? lastSeen = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for: {what}" + (lastSeen is null ? string.Empty : $"; last seen: {lastSeen()}"));
            }

            await Task.Delay(interval, cancellationToken);
        }
    }
}
