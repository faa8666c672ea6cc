namespace FoodDelivery.LocalRun;

/// <summary>
/// The cluster's clock during a compressed day: it runs <see cref="Factor"/> times faster than
/// this machine's, so Knative's and KEDA's own time constants (a 60 s stable window, a 30 s
/// cooldown, a 15 s HPA sync) play out unchanged in 1/<see cref="Factor"/> of the time. The
/// autoscalers read the time and set their timers on this clock; everything else (process starts,
/// HTTP, the producer) runs in real time.
/// </summary>
internal sealed class CompressedClock : TimeProvider
{
    private readonly TimeProvider real;
    private readonly DateTimeOffset origin;

    public CompressedClock(double factor, TimeProvider? real = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        Factor = factor;
        this.real = real ?? System;
        origin = this.real.GetUtcNow();
    }

    /// <summary>Cluster seconds per real second.</summary>
    public double Factor { get; }

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;

    /// <summary>Timestamps are the cluster time's ticks, so elapsed times agree with <see cref="GetUtcNow"/>.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => origin + ToCluster(real.GetUtcNow() - origin);

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>A timer whose due time and period are cluster time: it fires after 1/Factor of them.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new CompressedTimer(this, real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)));

    /// <summary>How long a span of cluster time lasts on this machine.</summary>
    public TimeSpan ToReal(TimeSpan cluster) => cluster == Timeout.InfiniteTimeSpan ? cluster : cluster / Factor;

    public TimeSpan ToCluster(TimeSpan realSpan) => realSpan == Timeout.InfiniteTimeSpan ? realSpan : realSpan * Factor;

    private sealed class CompressedTimer(CompressedClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
