namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// The backlog KEDA scales the adapters on: what the controller's shipped query sums
/// (config/401-config-rocketmq-autoscaler.yaml backlog-query), evaluated on the broker's gauges
/// as /metrics serves them: messages ready plus messages in flight for the source's topic and
/// consumer group, a missing series counting as 0 (the query's "or vector(0)"). Pure.
/// </summary>
internal static class BacklogQuery
{
    /// <summary>apache/rocketmq BrokerMetricsConstant names, as the emulator exports them.</summary>
    public const string ReadyMessages = "rocketmq_consumer_ready_messages";

    public const string InflightMessages = "rocketmq_consumer_inflight_messages";

    public static double Evaluate(string prometheusText, string topic, string consumerGroup) =>
        PrometheusText.Sum(prometheusText, ReadyMessages, ("topic", topic), ("consumer_group", consumerGroup))
        + PrometheusText.Sum(prometheusText, InflightMessages, ("topic", topic), ("consumer_group", consumerGroup));

    /// <summary>Whether the broker exports the group's gauges at all: it does once a consumer of the group has subscribed.</summary>
    public static bool Knows(string prometheusText, string topic, string consumerGroup) =>
        PrometheusText.Samples(prometheusText).Any(s =>
            s.Name == ReadyMessages && s.Labels.GetValueOrDefault("topic") == topic && s.Labels.GetValueOrDefault("consumer_group") == consumerGroup);
}
