namespace RocketMqSource.Controller.Configuration;

/// <summary>
/// The cluster's autoscaler settings, from ConfigMap config-rocketmq-autoscaler in the
/// controller's namespace (config/401-config-rocketmq-autoscaler.yaml): where Prometheus answers
/// and the backlog query every KEDA-scaled source uses unless it overrides it.
/// </summary>
internal sealed record AutoscalerConfig(string? ServerAddress, string QueryTemplate)
{
    public const string ConfigMapName = "config-rocketmq-autoscaler";
    public const string ServerAddressKey = "prometheus-server-address";
    public const string QueryKey = "backlog-query";

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

        return new(address, Value(data, QueryKey) ?? DefaultQueryTemplate);
    }

    private static string? Value(IDictionary<string, string>? data, string key) =>
        data?.TryGetValue(key, out var value) == true && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
