namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Decides when a held message's invisibility must be extended: before the work ahead of it
/// (the next backoff wait and attempt) could outlast what is left of its invisible duration.
/// </summary>
internal static class InvisibilityPlanner
{
    /// <summary>
    /// The new invisible duration to request now, or null when the current one still covers
    /// <paramref name="busyFor"/> plus a safety margin.
    /// </summary>
    public static TimeSpan? ExtensionNeeded(DateTimeOffset now, DateTimeOffset invisibleUntil, TimeSpan busyFor, TimeSpan invisibleDuration)
    {
        var needed = busyFor + SafetyMargin(invisibleDuration);
        if (invisibleUntil - now >= needed)
        {
            return null;
        }

        return needed > invisibleDuration ? needed : invisibleDuration;
    }

    /// <summary>Room kept for the ChangeInvisibleDuration call itself and clock drift: a quarter of the duration, at most 5s.</summary>
    public static TimeSpan SafetyMargin(TimeSpan invisibleDuration)
    {
        var quarter = invisibleDuration / 4;
        return quarter < TimeSpan.FromSeconds(5) ? quarter : TimeSpan.FromSeconds(5);
    }
}
