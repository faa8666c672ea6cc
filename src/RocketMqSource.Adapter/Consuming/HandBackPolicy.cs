namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// How long a handed-back message stays invisible before RocketMQ delivers it again: the base
/// delay doubled per delivery attempt already made, up to two hours. A sink that is down for a
/// while then does not burn through the group's max delivery attempts (and push everything to
/// %DLQ%) within seconds.
/// </summary>
internal static class HandBackPolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(2);

    public static TimeSpan DelayFor(int deliveryAttempt, TimeSpan baseDelay)
    {
        var doublings = Math.Clamp(deliveryAttempt - 1, 0, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, doublings);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
