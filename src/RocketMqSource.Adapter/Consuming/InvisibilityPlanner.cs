namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Decides when a held message's invisibility must be renewed. The scheduler checks every held
/// message once per renewal margin; a message is renewed when it has less than two margins left,
/// so one not renewed now still has a whole margin left for the ChangeInvisibleDuration call when
/// the next check comes. A renewal asks for the full invisible duration again.
/// </summary>
internal static class InvisibilityPlanner
{
    public static bool RenewalDue(DateTimeOffset now, DateTimeOffset invisibleUntil, TimeSpan renewalMargin) =>
        invisibleUntil - now < 2 * renewalMargin;
}
