using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator.Broker;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>
/// GET /metrics: the consumer gauges a RocketMQ 5 broker exports with metricsExporterType=PROM
/// (apache/rocketmq broker/.../metrics/BrokerMetricsConstant.java: names, and the labels topic
/// and consumer_group), in the Prometheus text format, so backlog queries run against the
/// emulator as against a broker. Ready: receivable now; in flight: received, not yet acked;
/// lag: both (not yet acked).
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string ReadyMessages = "rocketmq_consumer_ready_messages";
    public const string InflightMessages = "rocketmq_consumer_inflight_messages";
    public const string LagMessages = "rocketmq_consumer_lag_messages";

    public static Task WriteAsync(HttpContext http, EmulatedBroker broker)
    {
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return http.Response.WriteAsync(Render(broker.AllStats()), http.RequestAborted);
    }

    public static string Render(IReadOnlyList<ConsumerGroupStats> groups)
    {
        var text = new StringBuilder();
        Gauge(text, ReadyMessages, "Messages of the topic the consumer group can receive now.", groups, g => g.Backlog);
        Gauge(text, InflightMessages, "Messages the consumer group received and has not acked yet.", groups, g => g.InFlight);
        Gauge(text, LagMessages, "Messages the consumer group has not acked yet.", groups, g => g.Backlog + g.InFlight);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, IReadOnlyList<ConsumerGroupStats> groups, Func<ConsumerGroupStats, long> value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var group in groups)
        {
            text.Append(name)
                .Append("{topic=\"").Append(Escape(group.Topic))
                .Append("\",consumer_group=\"").Append(Escape(group.Group))
                .Append("\"} ").Append(value(group).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    /// <summary>Label values escape backslash, double quote and line feed (Prometheus text exposition format).</summary>
    private static string Escape(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
}
