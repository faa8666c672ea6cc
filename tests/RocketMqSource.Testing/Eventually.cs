namespace RocketMqSource.Testing;

/// <summary>
/// The one polling helper: waits on a condition with a generous deadline instead of sleeping a
/// fixed time. Polls every 10 ms; a condition that does I/O (a probe, a socket) is awaited in turn.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitAsync(_ => Task.FromResult(condition()), what, timeout ?? Patience, Interval);
    }

    public static Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitAsync(_ => condition(), what, timeout ?? Patience, Interval);
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? value = null;
        await WaitAsync(() => (value = probe()) is not null, what, timeout).ConfigureAwait(false);
        return value!;
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
        while (!await condition(cancellationToken).ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for: {what}" + (lastSeen is null ? string.Empty : $"; last seen: {lastSeen()}"));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
