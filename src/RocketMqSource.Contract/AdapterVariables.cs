namespace RocketMqSource.Contract;

/// <summary>
/// The receive adapter's environment: every variable it reads, by name. The controller sets
/// <see cref="SetByController"/> on each adapter Deployment; the rest have defaults and are set by
/// the kubelet, the local run, tests or an operator. docs/adapter.md "Environment" documents each one.
/// </summary>
public static class AdapterVariables
{
    // Sink and delivery (Knative's adapter names where Knative has one).
    public const string Sink = "K_SINK";
    public const string SinkCaCerts = "K_CA_CERTS";
    public const string SinkAudience = "K_AUDIENCE";
    public const string OidcServiceAccount = "K_OIDC_SERVICE_ACCOUNT";
    public const string CeOverrides = "K_CE_OVERRIDES";
    public const string SinkTimeout = "K_SINK_TIMEOUT";
    public const string Retry = "K_RETRY";
    public const string BackoffPolicy = "K_BACKOFF_POLICY";
    public const string BackoffDelay = "K_BACKOFF_DELAY";
    public const string DeadLetterSink = "K_DEAD_LETTER_SINK";
    public const string DeadLetterSinkCaCerts = "K_DEAD_LETTER_SINK_CA_CERTS";
    public const string DeadLetterSinkAudience = "K_DEAD_LETTER_SINK_AUDIENCE";

    // Identity: the source (event source, log key) and the pod (log key, from the downward API).
    public const string Name = "NAME";
    public const string Namespace = "NAMESPACE";
    public const string PodName = "POD_NAME";

    // RocketMQ.
    public const string Endpoints = "ROCKETMQ_ENDPOINTS";
    public const string RocketMqNamespace = "ROCKETMQ_NAMESPACE";
    public const string Topic = "ROCKETMQ_TOPIC";
    public const string ConsumerGroup = "ROCKETMQ_CONSUMER_GROUP";
    public const string FilterType = "ROCKETMQ_FILTER_TYPE";
    public const string FilterExpression = "ROCKETMQ_FILTER_EXPRESSION";
    public const string AccessKey = "ROCKETMQ_ACCESS_KEY";
    public const string SecretKey = "ROCKETMQ_SECRET_KEY";
    public const string SecurityToken = "ROCKETMQ_SECURITY_TOKEN";
    public const string Tls = "ROCKETMQ_TLS";
    public const string ProxyCaCerts = "ROCKETMQ_CA_CERTS";
    public const string BatchSize = "ROCKETMQ_BATCH_SIZE";
    public const string InvisibleDuration = "ROCKETMQ_INVISIBLE_DURATION";
    public const string AwaitDuration = "ROCKETMQ_AWAIT_DURATION";
    public const string MaxInFlight = "ROCKETMQ_MAX_IN_FLIGHT";
    public const string Ordering = "ROCKETMQ_ORDERING";

    // Operations.
    public const string LoggingConfig = "K_LOGGING_CONFIG";
    public const string ObservabilityConfig = "K_OBSERVABILITY_CONFIG";
    public const string MetricsPort = "METRICS_PORT";
    public const string HealthPort = "HEALTH_PORT";

    /// <summary>Read by the .NET runtime, not the adapter's parser: its diagnostics socket goes there (/tmp is the pod's one writable path).</summary>
    public const string TempDirectory = "TMPDIR";

    // Read by the adapter, never set by the controller.
    public const string SinkHttp2 = "K_SINK_HTTP2";
    public const string OidcTokenPath = "K_OIDC_TOKEN_PATH";
    public const string RetryAfterMax = "K_RETRY_AFTER_MAX";
    public const string HandBackDelay = "ROCKETMQ_HANDBACK_DELAY";
    public const string ShutdownGracePeriod = "SHUTDOWN_GRACE_PERIOD";
    public const string KubernetesServiceHost = "KUBERNETES_SERVICE_HOST";
    public const string KubernetesServicePort = "KUBERNETES_SERVICE_PORT";
    public const string TerminationMessagePath = "TERMINATION_MESSAGE_PATH";

    /// <summary>What the controller may set on an adapter (each one only when its spec field or sink needs it).</summary>
    public static IReadOnlyList<string> SetByController { get; } =
    [
        Sink, SinkCaCerts, SinkAudience, OidcServiceAccount, CeOverrides, SinkTimeout, Retry, BackoffPolicy, BackoffDelay,
        DeadLetterSink, DeadLetterSinkCaCerts, DeadLetterSinkAudience, Name, Namespace, PodName,
        Endpoints, RocketMqNamespace, Topic, ConsumerGroup, FilterType, FilterExpression, AccessKey, SecretKey, SecurityToken,
        Tls, ProxyCaCerts, BatchSize, InvisibleDuration, AwaitDuration, MaxInFlight, Ordering,
        LoggingConfig, ObservabilityConfig, MetricsPort, HealthPort, TempDirectory,
    ];

    /// <summary>
    /// The adapter's own knobs: HTTP/2 to the sink, the projected token's path (the controller mounts
    /// it at <see cref="OidcToken.DefaultPath"/>), the Retry-After cap, the hand-back delay and the
    /// grace period keep their defaults in a cluster; the kubelet sets the API server's address and
    /// the termination message path.
    /// </summary>
    public static IReadOnlyList<string> AdapterOnly { get; } =
        [SinkHttp2, OidcTokenPath, RetryAfterMax, HandBackDelay, ShutdownGracePeriod, KubernetesServiceHost, KubernetesServicePort, TerminationMessagePath];
}

/// <summary>The projected OIDC token the adapter sends to a sink with an audience (without Knative's authentication-oidc flag).</summary>
public static class OidcToken
{
    /// <summary>The directory the controller mounts the projected token volume at.</summary>
    public const string Directory = "/var/run/secrets/tokens";

    /// <summary>The file inside it (the projection's path).</summary>
    public const string FileName = "oidc-token";

    /// <summary>Where the adapter reads it unless K_OIDC_TOKEN_PATH says otherwise.</summary>
    public const string DefaultPath = Directory + "/" + FileName;
}

/// <summary>
/// K_LOGGING_CONFIG: Knative's config-logging as JSON (knative/pkg logging/config.go). The controller
/// copies these keys from its config-logging ConfigMap; the adapter reads its level from them.
/// </summary>
public static class LoggingConfigKeys
{
    public const string ZapLoggerConfig = "zap-logger-config";

    /// <summary>The adapter's component in <c>loglevel.&lt;component&gt;</c> (config/400-config-logging.yaml).</summary>
    public const string AdapterLevel = "loglevel.adapter";
}

/// <summary>The adapter's ports unless METRICS_PORT / HEALTH_PORT say otherwise; the controller's probes and container ports name them.</summary>
public static class AdapterPorts
{
    /// <summary>Prometheus /metrics (Knative's adapters use 9092).</summary>
    public const int Metrics = 9092;

    /// <summary>/health (liveness) and /readiness.</summary>
    public const int Health = 8080;
}
