namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// Knative's sliding window of metric buckets (knative/serving
/// pkg/autoscaler/aggregation/bucketing.go TimedFloat64Buckets): values recorded in the same
/// granularity-wide bucket add up, and the window average divides the window's total by the
/// buckets since the first write (at most the window's), so a young window is not diluted by
/// zeros it never saw. Pure: the caller passes the time.
/// </summary>
internal sealed class MetricWindow
{
    private readonly double[] buckets;
    private readonly long granularityTicks;
    private readonly TimeSpan window;
    private DateTimeOffset firstWrite = DateTimeOffset.MinValue;
    private DateTimeOffset lastWrite = DateTimeOffset.MinValue;
    private double windowTotal;

    public MetricWindow(TimeSpan window, TimeSpan granularity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(granularity, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, granularity);
        this.window = window;
        granularityTicks = granularity.Ticks;
        buckets = new double[(int)Math.Ceiling((double)window.Ticks / granularityTicks)];
    }

    /// <summary>True when nothing was recorded within the window before <paramref name="now"/>.</summary>
    public bool IsEmpty(DateTimeOffset now) => Truncate(now) - lastWrite > window;

    /// <summary>Adds <paramref name="value"/> to the bucket of <paramref name="now"/>; a time older than the window is ignored.</summary>
    public void Record(DateTimeOffset now, double value)
    {
        var bucketTime = Truncate(now);
        var writeIndex = Index(bucketTime);
        if (lastWrite != bucketTime)
        {
            if (bucketTime + window <= lastWrite)
            {
                return;
            }

            if (firstWrite == DateTimeOffset.MinValue || firstWrite > bucketTime)
            {
                firstWrite = bucketTime;
            }

            if (bucketTime > lastWrite)
            {
                if (bucketTime - lastWrite >= window)
                {
                    // Nothing for a whole window: start afresh.
                    firstWrite = bucketTime;
                    Array.Clear(buckets);
                    windowTotal = 0;
                }
                else
                {
                    for (var i = Index(lastWrite) + 1; i <= writeIndex; i++)
                    {
                        var slot = Slot(i);
                        windowTotal -= buckets[slot];
                        buckets[slot] = 0;
                    }
                }

                lastWrite = bucketTime;
            }
        }

        buckets[Slot(writeIndex)] += value;
        windowTotal += value;
    }

    /// <summary>The window's average per bucket at <paramref name="now"/> (0 after a whole window without data).</summary>
    public double WindowAverage(DateTimeOffset now)
    {
        now = Truncate(now);
        var sinceLastWrite = now - lastWrite;
        var written = (double)((lastWrite - firstWrite).Ticks / granularityTicks) + 1;
        if (sinceLastWrite <= TimeSpan.Zero)
        {
            return Round6(windowTotal / Math.Min(written, buckets.Length));
        }

        if (sinceLastWrite < window)
        {
            // Buckets between the last write and now hold no data for this window: take them out.
            var start = Index(lastWrite);
            var end = Index(now);
            var total = windowTotal;
            for (var i = start + 1; i <= end; i++)
            {
                total -= buckets[Slot(i)];
            }

            return Round6(total / Math.Min(written, buckets.Length - (end - start)));
        }

        return 0;
    }

    private DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % granularityTicks), TimeSpan.Zero);

    private long Index(DateTimeOffset time) => time.UtcTicks / granularityTicks;

    private int Slot(long index) => (int)(index % buckets.Length);

    /// <summary>Knative rounds averages to 6 digits (bucketing.go precision) so float noise does not tip a ceiling.</summary>
    private static double Round6(double value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
