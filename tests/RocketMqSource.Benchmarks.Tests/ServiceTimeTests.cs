using RocketMqSource.Benchmarks;

namespace RocketMqSource.Benchmarks.Tests;

/// <summary>The adapter's service time from two scrapes of its Prometheus histogram: the difference's percentiles, per stage.</summary>
public sealed class ServiceTimeTests
{
    private static string Scrape(string stage, params (string Le, int Count)[] buckets) => string.Join('\n', buckets.Select(bucket =>
        $"rocketmqsource_message_service_duration_seconds_bucket{{messaging_system=\"rocketmq\",stage=\"{stage}\",le=\"{bucket.Le}\"}} {bucket.Count} 1765152000000"))
        + "\nrocketmqsource_message_service_duration_seconds_count{stage=\"" + stage + "\"} 0\n";

    [Fact]
    public void Percentiles_come_from_the_counts_added_between_the_scrapes_interpolated_in_their_bucket()
    {
        var before = ServiceTime.Parse(Scrape("before_post", ("0.0005", 100), ("0.001", 100), ("0.0025", 100), ("+Inf", 100)));
        // 100 new measurements: 50 up to 0.5 ms, 40 in (0.5, 1] ms, 10 in (1, 2.5] ms.
        var after = ServiceTime.Parse(Scrape("before_post", ("0.0005", 150), ("0.001", 190), ("0.0025", 200), ("+Inf", 200)));

        Assert.Equal(0.5, after.PercentileMs(before, "before_post", 50), 6);
        Assert.Equal(0.5 + (0.5 * 30 / 40), after.PercentileMs(before, "before_post", 80), 6);
        Assert.Equal(1 + (1.5 * 9 / 10), after.PercentileMs(before, "before_post", 99), 6);
    }

    [Fact]
    public void Stages_are_apart_and_a_stage_without_measurements_reads_zero()
    {
        var text = Scrape("before_post", ("0.001", 10), ("+Inf", 10)) + Scrape("before_ack", ("0.05", 0), ("0.1", 4), ("+Inf", 4));
        var empty = ServiceTime.Parse(string.Empty);
        var scrape = ServiceTime.Parse(text);

        Assert.Equal(0.5, scrape.PercentileMs(empty, "before_post", 50), 6);
        Assert.Equal(75, scrape.PercentileMs(empty, "before_ack", 50), 6);
        Assert.Equal(0, scrape.PercentileMs(scrape, "before_ack", 99));
    }

    [Fact]
    public void Past_the_last_bound_only_the_bound_is_known()
    {
        var scrape = ServiceTime.Parse(Scrape("before_ack", ("1", 1), ("+Inf", 10)));

        Assert.Equal(1000, scrape.PercentileMs(ServiceTime.Parse(string.Empty), "before_ack", 99));
    }
}
