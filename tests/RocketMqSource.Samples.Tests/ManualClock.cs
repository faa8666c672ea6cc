namespace RocketMqSource.Samples.Tests;

/// <summary>A clock the test sets; only wall-clock time is faked, timers stay real.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;
}
