namespace RocketMqSource.Emulator.Tests;

/// <summary>A clock that only moves when a test says so (for visibility and delay rules without sleeping).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
