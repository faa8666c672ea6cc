using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// The receive adapter's environment (src/RocketMqSource.Adapter/Configuration) for one source.
/// Credentials only ever appear as secretKeyRef, never as values.
/// </summary>
internal static class AdapterEnvironment
{
    /// <param name="identity">The source's OIDC service account when Knative's authentication-oidc is enabled: the adapter requests tokens for it.</param>
    public static List<V1EnvVar> Build(V1Alpha1RocketMQSource source, ResolvedAddress sink, ResolvedAddress? deadLetterSink, AdapterSettings settings, AdapterIdentity? identity = null)
    {
        var spec = source.Spec!;
        var env = new List<V1EnvVar>();
        Add(env, "K_SINK", sink.Uri.ToString());
        Add(env, "K_CA_CERTS", sink.CACerts);
        // Without the flag the adapter presents its projected pod token (see AdapterDeploymentBuilder).
        Add(env, "K_AUDIENCE", sink.Audience);
        Add(env, "K_OIDC_SERVICE_ACCOUNT", identity?.OidcServiceAccountName);

        if (spec.CeOverrides?.Extensions is { Count: > 0 } extensions)
        {
            var json = new JsonObject { ["extensions"] = new JsonObject(extensions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)).ToList()) };
            Add(env, "K_CE_OVERRIDES", json.ToJsonString());
        }

        if (spec.Delivery?.Timeout is { } timeout && Durations.TryParseIso(timeout, out var duration))
        {
            Add(env, "K_SINK_TIMEOUT", Durations.CeilingSeconds(duration).ToString(CultureInfo.InvariantCulture));
        }

        Add(env, "NAME", source.Metadata.Name);
        Add(env, "NAMESPACE", source.Metadata.NamespaceProperty);
        Add(env, "ROCKETMQ_ENDPOINTS", spec.Endpoints);
        Add(env, "ROCKETMQ_NAMESPACE", spec.Namespace);
        Add(env, "ROCKETMQ_TOPIC", spec.Topic);
        Add(env, "ROCKETMQ_CONSUMER_GROUP", spec.ConsumerGroup);
        Add(env, "ROCKETMQ_FILTER_TYPE", spec.Filter?.Type ?? "TAG");
        Add(env, "ROCKETMQ_FILTER_EXPRESSION", spec.Filter?.Expression ?? "*");
        AddSecret(env, "ROCKETMQ_ACCESS_KEY", spec.Credentials?.AccessKey);
        AddSecret(env, "ROCKETMQ_SECRET_KEY", spec.Credentials?.SecretKey);
        AddSecret(env, "ROCKETMQ_SECURITY_TOKEN", spec.Credentials?.SecurityToken);
        Add(env, "ROCKETMQ_TLS", spec.Tls == true ? "true" : "false");
        AddSecret(env, "ROCKETMQ_CA_CERTS", spec.CaCert);
        Add(env, "ROCKETMQ_BATCH_SIZE", Number(spec.BatchSize));
        Add(env, "ROCKETMQ_INVISIBLE_DURATION", spec.InvisibleDuration);
        Add(env, "ROCKETMQ_AWAIT_DURATION", spec.AwaitDuration);
        Add(env, "ROCKETMQ_MAX_IN_FLIGHT", Number(spec.MaxInFlight));
        Add(env, "ROCKETMQ_ORDERING", spec.Ordering);
        Add(env, "K_RETRY", Number(spec.Delivery?.Retry));
        Add(env, "K_BACKOFF_POLICY", spec.Delivery?.BackoffPolicy);
        Add(env, "K_BACKOFF_DELAY", spec.Delivery?.BackoffDelay);
        Add(env, "K_DEAD_LETTER_SINK", deadLetterSink?.Uri.ToString());
        Add(env, "K_DEAD_LETTER_SINK_CA_CERTS", deadLetterSink?.CACerts);
        Add(env, "K_DEAD_LETTER_SINK_AUDIENCE", deadLetterSink?.Audience);
        Add(env, "K_LOGGING_CONFIG", settings.LoggingConfig);
        Add(env, "K_OBSERVABILITY_CONFIG", settings.ObservabilityConfig);
        Add(env, "METRICS_PORT", AdapterSettings.MetricsPort.ToString(CultureInfo.InvariantCulture));
        Add(env, "HEALTH_PORT", AdapterSettings.HealthPort.ToString(CultureInfo.InvariantCulture));
        // .NET keeps its diagnostics socket under TMPDIR; /tmp is the only writable path.
        Add(env, "TMPDIR", "/tmp");
        return env;
    }

    /// <summary>The pod's service account: the spec's, else the namespace's default.</summary>
    public static string ServiceAccountName(RocketMQSourceSpec spec) =>
        string.IsNullOrEmpty(spec.ServiceAccountName) ? "default" : spec.ServiceAccountName;

    /// <summary>Knative's K_LOGGING_CONFIG JSON from the controller's logging settings, or null when there are none.</summary>
    public static string? LoggingConfig(string? zapConfig, string? adapterLevel)
    {
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(zapConfig))
        {
            config["zap-logger-config"] = zapConfig;
        }

        if (!string.IsNullOrWhiteSpace(adapterLevel))
        {
            // The key config/400-config-logging.yaml documents and the adapter reads.
            config["loglevel.adapter"] = adapterLevel.Trim();
        }

        return config.Count == 0 ? null : JsonSerializer.Serialize(config);
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static void Add(List<V1EnvVar> env, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            env.Add(new V1EnvVar { Name = name, Value = value });
        }
    }

    private static void AddSecret(List<V1EnvVar> env, string name, SecretValueFromSource? source)
    {
        if (source?.SecretKeyRef is { Name: { Length: > 0 } secret, Key: { Length: > 0 } key })
        {
            env.Add(new V1EnvVar { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } });
        }
    }
}
