namespace RocketMqSource.Controller.Configuration;

/// <summary>
/// The cluster's autoscaler settings, from ConfigMap config-rocketmq-autoscaler in the
/// controller's namespace (config/401-config-rocketmq-autoscaler.yaml): where Prometheus answers,
/// the backlog query every KEDA-scaled source uses unless it overrides it, and the wake query
/// that takes a source from zero when messages arrive.
/// </summary>
internal sealed record AutoscalerConfig(string? ServerAddress, string QueryTemplate, string WakeQueryTemplate)
{
    public const string ConfigMapName = "config-rocketmq-autoscaler";
    public const string ServerAddressKey = "prometheus-server-address";
    public const string QueryKey = "backlog-query";
    public const string WakeQueryKey = "wake-query";

    /// <summary>
    /// Messages ready to be received plus those received and not yet acked (POP), as the RocketMQ 5
    /// broker exports them (apache/rocketmq BrokerMetricsConstant: rocketmq_consumer_ready_messages,
    /// rocketmq_consumer_inflight_messages, labels topic and consumer_group). Each side falls back
    /// to 0 so a missing series does not empty the sum: KEDA reads an empty result as 0 and would
    /// scale a backlog to zero (kedacore/keda pkg/scalers/prometheus_scaler.go, ignoreNullValues).
    /// </summary>
    public const string DefaultQueryTemplate =
        "(sum(rocketmq_consumer_ready_messages{topic=\"{{topic}}\",consumer_group=\"{{consumerGroup}}\"}) or vector(0))"
        + " + (sum(rocketmq_consumer_inflight_messages{topic=\"{{topic}}\",consumer_group=\"{{consumerGroup}}\"}) or vector(0))";

    /// <summary>apache/rocketmq BrokerMetricsConstant and DefaultStoreMetricsConstant names, as the OpenTelemetry Prometheus exporter keeps them (a counter name holding "total" gets no suffix).</summary>
    public static IReadOnlyList<string> IngressCounters { get; } =
        ["rocketmq_messages_in_total", "rocketmq_timer_dequeue_total", "rocketmq_commit_messages_total"];

    /// <summary>
    /// 1 when a message entered the topic within the window, else 0. The broker exports the backlog
    /// gauges only for groups it knows are subscribed, and forgets a POP group 10 minutes after its
    /// last POP (apache/rocketmq 5.3.2 ConsumerLagCalculator.processAllGroup, ConsumerManager
    /// .removeExpireConsumerGroupInfo, BrokerConfig.subscriptionExpiredTimeout); its ingress counters
    /// do not depend on subscriptions. Three ways a message reaches a topic, each a counter labelled
    /// by the real topic: a send (rocketmq_messages_in_total, SendMessageProcessor
    /// .handlePutMessageResult; a delayed send is counted under the timer topic instead), a delayed
    /// message coming due (rocketmq_timer_dequeue_total, TimerMessageStore, by its real topic) and a
    /// committed transaction (rocketmq_commit_messages_total, EndTransactionProcessor). Per series,
    /// the increase is "now minus {{window}} ago"; a series that did not exist then (the first
    /// message since the broker started) counts whole, where increase() would see nothing; a
    /// counter that went back (broker restart) counts whole too, rather than negative.
    /// </summary>
    public static readonly string DefaultWakeQueryTemplate =
        "(" + string.Join(" + ", IngressCounters.Select(Increase)) + ") > bool 0";

    /// <summary>
    /// The settings a map's data says (null: the map is absent, so no server yet). Throws
    /// <see cref="ArgumentException"/> for a server address KEDA could not query, so a broken edit
    /// is refused rather than written into every ScaledObject.
    /// </summary>
    public static AutoscalerConfig FromData(IDictionary<string, string>? data)
    {
        var address = Value(data, ServerAddressKey);
        if (address is not null && !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"{ServerAddressKey} must be an http or https URL, got '{address}'");
        }

        return new(address, Value(data, QueryKey) ?? DefaultQueryTemplate, Value(data, WakeQueryKey) ?? DefaultWakeQueryTemplate);
    }

    private static string Increase(string counter)
    {
        var series = counter + "{topic=\"{{topic}}\"}";
        // The offset in parentheses: it modifies the selector, never the difference.
        return $"(sum((({series} - ({series} offset {{{{window}}}})) >= 0) or {series}) or vector(0))";
    }

    private static string? Value(IDictionary<string, string>? data, string key) =>
        data?.TryGetValue(key, out var value) == true && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
