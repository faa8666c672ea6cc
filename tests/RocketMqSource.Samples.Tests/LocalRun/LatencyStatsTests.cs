using FoodDelivery.LocalRun.Ledger;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class LatencyStatsTests
{
    private static TimeSpan Ms(double value) => TimeSpan.FromMilliseconds(value);

    [Fact]
    public void Percentiles_use_the_nearest_rank_of_the_sorted_values()
    {
        // 1..100 ms, shuffled: p50 is the 50th value, p90 the 90th, p99 the 99th.
        var values = Enumerable.Range(1, 100).Select(i => Ms(i)).OrderBy(v => (v.Ticks * 7919) % 101).ToList();

        var stats = LatencyStats.Of(values);

        Assert.Equal(100, stats.Count);
        Assert.Equal(Ms(50), stats.P50);
        Assert.Equal(Ms(90), stats.P90);
        Assert.Equal(Ms(99), stats.P99);
        Assert.Equal(Ms(100), stats.Max);
    }

    [Fact]
    public void With_few_values_the_high_percentiles_are_the_slowest_observed()
    {
        var stats = LatencyStats.Of([Ms(5), Ms(300), Ms(7)]);

        Assert.Equal(Ms(7), stats.P50);
        Assert.Equal(Ms(300), stats.P90);
        Assert.Equal(Ms(300), stats.P99);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(10, 10)]
    [InlineData(10.1, 20)]
    [InlineData(50, 50)]
    [InlineData(100, 100)]
    public void NearestRank_picks_the_smallest_value_covering_the_percent(double percent, double expectedMs)
    {
        var sorted = Enumerable.Range(1, 10).Select(i => Ms(i * 10)).ToList();

        Assert.Equal(Ms(expectedMs), LatencyStats.NearestRank(sorted, percent));
    }

    [Fact]
    public void No_values_give_the_empty_stats_and_NearestRank_refuses_them()
    {
        Assert.Equal(LatencyStats.Empty, LatencyStats.Of([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStats.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStats.NearestRank([Ms(1)], 0));
    }
}
