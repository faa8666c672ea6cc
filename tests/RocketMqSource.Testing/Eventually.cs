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
}
