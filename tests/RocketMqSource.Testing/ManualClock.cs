namespace RocketMqSource.Testing;

/// <summary>
/// A clock that only moves when a test says so (for visibility, delay and session rules without
/// sleeping). Safe to read from server threads while a test advances it.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _utcTicks = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
