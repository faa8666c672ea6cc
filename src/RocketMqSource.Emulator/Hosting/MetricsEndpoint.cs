using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>
/// GET /metrics: what a RocketMQ 5 broker exports with metricsExporterType=PROM that autoscaling
/// reads (apache/rocketmq broker/.../metrics/BrokerMetricsConstant.java names and labels), in the
/// Prometheus text format, so backlog and wake queries run against the emulator as against a
/// broker. Consumer gauges, for the groups the broker still remembers as subscribed: ready
/// (receivable now), in flight (received, not yet acked), lag (both). Ingress counters, for every
/// topic whatever its groups: messages in by topic and message type (BrokerMetricsManager
/// messagesInTotal, as SendMessageProcessor labels it) and delayed messages come due
/// (DefaultStoreMetricsConstant rocketmq_timer_dequeue_total). The OpenTelemetry exporter the
/// broker uses (1.29) keeps a counter's name when it already holds "total" (PrometheusMetricNameMapper).
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string ReadyMessages = "rocketmq_consumer_ready_messages";
    public const string InflightMessages = "rocketmq_consumer_inflight_messages";
    public const string LagMessages = "rocketmq_consumer_lag_messages";
    public const string MessagesIn = "rocketmq_messages_in_total";
    public const string TimerDequeued = "rocketmq_timer_dequeue_total";

    public static Task WriteAsync(HttpContext http, EmulatedBroker broker)
    {
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        var (messagesIn, timerDequeued) = broker.Ingress();
        return http.Response.WriteAsync(Render(broker.SubscribedStats(), messagesIn, timerDequeued), http.RequestAborted);
    }

    public static string Render(IReadOnlyList<ConsumerGroupStats> groups, IReadOnlyList<IngressCount> messagesIn, IReadOnlyList<DueCount> timerDequeued)
    {
        var text = new StringBuilder();
        Gauge(text, ReadyMessages, "Messages of the topic the consumer group can receive now.", groups, g => g.Backlog);
        Gauge(text, InflightMessages, "Messages the consumer group received and has not acked yet.", groups, g => g.InFlight);
        Gauge(text, LagMessages, "Messages the consumer group has not acked yet.", groups, g => g.Backlog + g.InFlight);
        Header(text, MessagesIn, "Total number of incoming messages", "counter");
        foreach (var count in messagesIn)
        {
            Sample(text, MessagesIn, count.Count, ("topic", count.Topic), ("message_type", MetricsValue(count.Type)),
                ("is_system", count.Topic.StartsWith(EmulatedBroker.SystemTopicPrefix, StringComparison.Ordinal) ? "true" : "false"));
        }

        Header(text, TimerDequeued, "Total number of timer dequeue", "counter");
        foreach (var count in timerDequeued)
        {
            Sample(text, TimerDequeued, count.Count, ("topic", count.Topic));
        }

        return text.ToString();
    }

    /// <summary>The label value the broker writes: TopicMessageType.getMetricsValue, the type's name in lower case.</summary>
    private static string MetricsValue(MessageType type) => type switch
    {
        MessageType.Fifo => "fifo",
        MessageType.Delay => "delay",
        MessageType.Transaction => "transaction",
        _ => "normal",
    };

    private static void Gauge(StringBuilder text, string name, string help, IReadOnlyList<ConsumerGroupStats> groups, Func<ConsumerGroupStats, long> value)
    {
        Header(text, name, help, "gauge");
        foreach (var group in groups)
        {
            Sample(text, name, value(group), ("topic", group.Topic), ("consumer_group", group.Group));
        }
    }

    private static void Header(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void Sample(StringBuilder text, string name, long value, params (string Name, string Value)[] labels)
    {
        text.Append(name).Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
        }

        text.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed (Prometheus text exposition format).</summary>
    private static string Escape(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
}
