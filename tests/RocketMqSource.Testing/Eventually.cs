namespace RocketMqSource.Testing;

/// <summary>The one polling helper: waits on a condition with a generous deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ValueAsync(() => condition() ? what : null, what, timeout).ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(10).ConfigureAwait(false);
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
