using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Operations;

public class MetricsTests
{
    [Fact]
    public void Counters_are_written_per_response_code()
    {
        var metrics = new AdapterMetrics();
        metrics.Received.Increment();
        metrics.Received.Increment();
        metrics.Delivered.Increment("202");
        metrics.Delivered.Increment("202");
        metrics.Delivered.Increment("200");
        metrics.Retried.Increment("none");

        var text = metrics.ToPrometheusText();

        Assert.Contains("# TYPE rocketmqsource_adapter_events_received_total counter\nrocketmqsource_adapter_events_received_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("rocketmqsource_adapter_events_delivered_total{response_code=\"200\"} 1\nrocketmqsource_adapter_events_delivered_total{response_code=\"202\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("rocketmqsource_adapter_events_retried_total{response_code=\"none\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP rocketmqsource_adapter_events_dead_lettered_total ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_sum_and_count()
    {
        var histogram = new Histogram("latency_seconds", "Latency.", [0.1, 1]);
        histogram.Observe(0.05);
        histogram.Observe(0.5);
        histogram.Observe(3);
        var output = new System.Text.StringBuilder();

        histogram.WriteTo(output);

        Assert.Equal(
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{le=\"0.1\"} 1\nlatency_seconds_bucket{le=\"1\"} 2\nlatency_seconds_bucket{le=\"+Inf\"} 3\n" +
            "latency_seconds_sum 3.55\nlatency_seconds_count 3\n",
            output.ToString());
    }

    [Fact]
    public void In_flight_gauge_goes_up_and_down()
    {
        var metrics = new AdapterMetrics();
        metrics.InFlight.Increment();
        metrics.InFlight.Increment();
        metrics.InFlight.Decrement();

        Assert.Contains("# TYPE rocketmqsource_adapter_in_flight_messages gauge\nrocketmqsource_adapter_in_flight_messages 1\n", metrics.ToPrometheusText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        var counter = new Counter("c_total", "C.", "reason");
        counter.Increment("a\"b\\c\nd");
        var output = new System.Text.StringBuilder();

        counter.WriteTo(output);

        Assert.Contains("c_total{reason=\"a\\\"b\\\\c\\nd\"} 1\n", output.ToString(), StringComparison.Ordinal);
    }
}
