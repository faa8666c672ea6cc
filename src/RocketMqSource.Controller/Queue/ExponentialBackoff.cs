namespace RocketMqSource.Controller.Queue;

/// <summary>Per-key failure counts and their delays: base × 2^failures, capped.</summary>
internal sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);

    /// <summary>Counts one more failure of the key and returns how long to wait before retrying it.</summary>
    public TimeSpan Next(string key)
    {
        var count = failures.GetValueOrDefault(key);
        failures[key] = count + 1;
        var ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(count, 62));
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public int Failures(string key) => failures.GetValueOrDefault(key);

    public void Forget(string key) => failures.Remove(key);
}
