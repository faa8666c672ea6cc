using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// Waits for absolute deadlines on the stopwatch's clock (CLOCK_MONOTONIC on Linux, in ns): sleeps
/// with clock_nanosleep(TIMER_ABSTIME) until shortly before the deadline, then yields until it is
/// reached. A late wake-up does not move later deadlines (they are absolute), and no deadline is
/// rounded to the millisecond, as Thread.Sleep(1) pacing was.
/// </summary>
internal static partial class Pacer
{
    private const int ClockMonotonic = 1;
    private const int AbsoluteTime = 1;

    /// <summary>The last stretch before a deadline is yielded away rather than slept (the kernel's timer slack is 50 µs).</summary>
    private static readonly long YieldWindow = Stopwatch.Frequency / 5_000;

    /// <summary>Stopwatch ticks are nanoseconds of CLOCK_MONOTONIC on Linux; elsewhere only the yield loop paces.</summary>
    private static readonly bool CanSleepAbsolute = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static void WaitUntil(long deadline)
    {
        var wakeAt = deadline - YieldWindow;
        if (CanSleepAbsolute && Stopwatch.GetTimestamp() < wakeAt)
        {
            var time = new TimeSpec { Seconds = wakeAt / 1_000_000_000, Nanoseconds = wakeAt % 1_000_000_000 };
            // EINTR only wakes it early; the loop below still waits for the deadline.
            _ = ClockNanosleep(ClockMonotonic, AbsoluteTime, ref time, IntPtr.Zero);
        }

        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Yield();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remaining);
}
