using FoodDelivery.LocalRun.Serving;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// Knative's metric window, step by step as knative/serving
/// pkg/autoscaler/aggregation/bucketing_test.go TestTimedFloat64BucketsWindowAverage walks it
/// (a 5 s window of 1 s buckets).
/// </summary>
public sealed class MetricWindowTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_window_average_divides_by_the_buckets_written_and_forgets_what_left_the_window()
    {
        var clock = new ManualClock();
        var now = clock.GetUtcNow();
        var window = new MetricWindow(TimeSpan.FromSeconds(5), Second);

        // A young window is averaged over what it saw, not diluted by zeros (firstWrite).
        window.Record(now, 1);
        Assert.Equal(1, window.WindowAverage(now));
        for (var i = 1; i < 5; i++)
        {
            window.Record(now.AddSeconds(i), i + 1);
        }

        Assert.Equal(15.0 / 5, window.WindowAverage(now.AddSeconds(4)));
        Assert.Equal(15.0 / 5, window.WindowAverage(now.AddMilliseconds(3600)));

        // A short hole: the buckets that slid out are taken out.
        Assert.Equal((15.0 - 1 - 2) / (5 - 2), window.WindowAverage(now.AddSeconds(6)));

        // A long hole: nothing.
        Assert.Equal(0, window.WindowAverage(now.AddSeconds(10)));

        // A write after a hole.
        window.Record(now.AddSeconds(6), 91);
        Assert.Equal((15.0 - 1 - 2 + 91) / 5, window.WindowAverage(now.AddSeconds(6)));

        // Much later: starts afresh.
        now = now.AddMinutes(1);
        window.Record(now, 1984);
        Assert.Equal(1984, window.WindowAverage(now));

        // An earlier time within the window moves the first write back.
        window.Record(now.AddSeconds(-3), 4);
        Assert.Equal((4.0 + 1984) / 4, window.WindowAverage(now));

        now = now.AddSeconds(1);
        window.Record(now, 5);
        Assert.Equal((4.0 + 1984 + 5) / 5, window.WindowAverage(now));

        window.Record(now.AddSeconds(-3), 10);
        Assert.Equal((4.0 + 10 + 1984 + 5) / 5, window.WindowAverage(now));

        // Values too early for the window are ignored, the boundary included.
        window.Record(now.AddSeconds(-6), 10);
        window.Record(now.AddSeconds(-5), 10);
        Assert.Equal((4.0 + 10 + 1984 + 5) / 5, window.WindowAverage(now));

        // Exactly a window without data clears it.
        window.Record(now.AddSeconds(5), 10);
        Assert.Equal(10, window.WindowAverage(now.AddSeconds(5)));
    }

    [Fact]
    public void A_window_is_empty_until_written_and_again_a_window_after_its_last_write()
    {
        var clock = new ManualClock();
        var window = new MetricWindow(TimeSpan.FromSeconds(60), Second);
        Assert.True(window.IsEmpty(clock.GetUtcNow()));

        window.Record(clock.GetUtcNow(), 3);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(window.IsEmpty(clock.GetUtcNow()));

        clock.Advance(Second);
        Assert.True(window.IsEmpty(clock.GetUtcNow()));
    }

    [Fact]
    public void Values_recorded_in_one_bucket_add_up() // TestTimedFloat64BucketsSimple: the activator's scale-from-zero stat and a scrape
    {
        var clock = new ManualClock();
        var now = clock.GetUtcNow();
        var window = new MetricWindow(TimeSpan.FromMinutes(2), Second);

        window.Record(now, 1);
        window.Record(now.AddMilliseconds(100), 10);

        Assert.Equal(11, window.WindowAverage(now));
    }
}
