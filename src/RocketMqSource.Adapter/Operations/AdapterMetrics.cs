using System.Text;

namespace RocketMqSource.Adapter.Operations;

/// <summary>The adapter's metrics, served as Prometheus text on METRICS_PORT at /metrics.</summary>
internal sealed class AdapterMetrics
{
    private const string Prefix = "rocketmqsource_adapter_";
    private const string CodeLabel = "response_code";

    public Counter Received { get; } = new(Prefix + "events_received_total", "Messages received from RocketMQ.");

    public Counter Delivered { get; } = new(Prefix + "events_delivered_total", "Events the sink accepted, by response code.", CodeLabel);

    public Counter Retried { get; } = new(Prefix + "events_retried_total", "Retries of a failed attempt, by the failed attempt's response code.", CodeLabel);

    public Counter DeadLettered { get; } = new(Prefix + "events_dead_lettered_total", "Events the dead-letter sink accepted, by the original sink's last response code.", CodeLabel);

    public Counter HandedBack { get; } = new(Prefix + "events_handed_back_total", "Messages handed back to RocketMQ for redelivery, by the last response code.", CodeLabel);

    public Counter AckFailures { get; } = new(Prefix + "ack_failures_total", "Acknowledgements RocketMQ refused (the message will be delivered again).");

    public Histogram DispatchLatency { get; } = new(Prefix + "dispatch_latency_seconds", "Duration of one HTTP attempt to a sink.",
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

    public Gauge InFlight { get; } = new(Prefix + "in_flight_messages", "Messages received and not yet acked, dead-lettered, handed back or abandoned.");

    public string ToPrometheusText()
    {
        var output = new StringBuilder();
        foreach (var metric in new Metric[] { Received, Delivered, Retried, DeadLettered, HandedBack, AckFailures, DispatchLatency, InFlight })
        {
            metric.WriteTo(output);
        }

        return output.ToString();
    }
}
