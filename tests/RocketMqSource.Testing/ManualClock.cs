namespace RocketMqSource.Testing;

/// <summary>
/// A clock that only moves when a test says so (for visibility, delay and session rules without
/// sleeping). Safe to read from server threads while a test moves it. By default only wall-clock
/// time is faked and timers stay real; with <see cref="ControlsTimers"/> timers (Task.Delay,
/// CancellationTokenSource delays, TimeProvider.CreateTimer) fire only when <see cref="Advance"/>
/// moves the clock past them, so backoffs, timeouts and periodic work run exactly when a test says.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock timersGate = new();
    private readonly List<ManualTimer> timers = [];
    private long _utcTicks = start.UtcTicks;

    public ManualClock()
        : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>When true, timers created on this clock fire only as <see cref="Advance"/> passes their due time.</summary>
    public bool ControlsTimers { get; init; }

    /// <summary>Timers waiting to fire (only with <see cref="ControlsTimers"/>): a test can wait for one to be set before advancing.</summary>
    public int PendingTimers
    {
        get
        {
            lock (timersGate)
            {
                return timers.Count(t => t.DueTicks is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock on; timers due on the way fire in order, each seeing the clock at its own due time.</summary>
    public void Advance(TimeSpan by) => MoveTo(Interlocked.Read(ref _utcTicks) + by.Ticks);

    public void Set(DateTimeOffset now) => MoveTo(now.UtcTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!ControlsTimers)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new ManualTimer(this, callback, state);
        lock (timersGate)
        {
            timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void MoveTo(long targetTicks)
    {
        while (true)
        {
            ManualTimer? next;
            lock (timersGate)
            {
                next = timers.Where(t => t.DueTicks <= targetTicks).MinBy(t => t.DueTicks);
                if (next is not null)
                {
                    Interlocked.Exchange(ref _utcTicks, Math.Max(Interlocked.Read(ref _utcTicks), next.DueTicks!.Value));
                    next.Fired();
                }
            }

            if (next is null)
            {
                Interlocked.Exchange(ref _utcTicks, targetTicks);
                return;
            }

            // Outside the lock: the callback may create or change timers.
            next.Invoke();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (timersGate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long periodTicks;

        /// <summary>When the timer fires next (clock ticks); null while stopped. Guarded by the clock's lock.</summary>
        public long? DueTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.timersGate)
            {
                periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow().UtcTicks + dueTime.Ticks;
            }

            return true;
        }

        public void Fired() => DueTicks = periodTicks > 0 ? DueTicks + periodTicks : null;

        public void Invoke() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
