using RocketMqSource.Benchmarks;

namespace RocketMqSource.Benchmarks.Tests;

/// <summary>--runs N: each metric is the median of its runs, and met / not met follows the median, not any single run.</summary>
public sealed class MedianOfRunsTests
{
    [Fact]
    public void Each_metric_is_the_median_of_its_runs_and_lists_them()
    {
        var combined = MedianOfRuns.Combine(
        [
            [new Metric("aot.eventsPerSecond", "drain", 5_000, "events/s"), new Metric("aot.startup.firstEventMs", "first", 900, "ms")],
            [new Metric("aot.eventsPerSecond", "drain", 7_000, "events/s"), new Metric("aot.startup.firstEventMs", "first", 120, "ms")],
            [new Metric("aot.eventsPerSecond", "drain", 6_000, "events/s"), new Metric("aot.startup.firstEventMs", "first", 140, "ms")],
        ]);

        Assert.Equal(["aot.eventsPerSecond", "aot.startup.firstEventMs"], combined.Select(metric => metric.Key));
        Assert.Equal(6_000, combined[0].Value);
        Assert.Equal([5_000, 7_000, 6_000], combined[0].Runs!);
        Assert.Equal(140, combined[1].Value);
    }

    [Fact]
    public void Met_is_decided_from_the_median()
    {
        var under150 = new Threshold("≤ 150", 150);
        var combined = MedianOfRuns.Combine(
        [
            [new Metric("first", "first event", 100, "ms", under150)],
            [new Metric("first", "first event", 400, "ms", under150)],
            [new Metric("first", "first event", 300, "ms", under150)],
        ]);

        Assert.Equal(300, combined[0].Value);
        Assert.False(combined[0].Met);
        Assert.Equal("≤ 150", combined[0].Target);
    }

    [Fact]
    public void At_least_thresholds_are_met_from_above()
    {
        var atLeast = new Threshold("≥ 3.5", 3.5, AtMost: false);

        Assert.True(atLeast.IsMetBy(3.5));
        Assert.False(atLeast.IsMetBy(3.4));
    }

    [Fact]
    public void An_even_count_takes_the_mean_of_the_middle_two() =>
        Assert.Equal(2.5, MedianOfRuns.Median([4, 1, 3, 2]));

    [Fact]
    public void One_run_is_reported_as_it_is()
    {
        IReadOnlyList<Metric> run = [new Metric("ceiling.requests", "requests", 42, "req")];

        Assert.Same(run, MedianOfRuns.Combine([run]));
    }

    [Fact]
    public void Runs_option_sets_the_repeat_count() =>
        Assert.Equal(3, BenchmarkSettings.Parse(["--runs", "3", "--no-peer"]).Runs);
}
