using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Sinks;
using static RocketMqSource.Contract.AdapterVariables;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// The receive adapter's environment for one source, in the contract's names (RocketMqSource.Contract
/// AdapterVariables). Credentials only ever appear as secretKeyRef, never as values.
/// </summary>
internal static class AdapterEnvironment
{
    /// <param name="identity">The source's OIDC service account when Knative's authentication-oidc is enabled: the adapter requests tokens for it.</param>
    public static List<V1EnvVar> Build(V1Alpha1RocketMQSource source, ResolvedAddress sink, ResolvedAddress? deadLetterSink, AdapterSettings settings, AdapterIdentity? identity = null)
    {
        var spec = source.Spec!;
        var env = new List<V1EnvVar>();
        Add(env, Sink, sink.Uri.ToString());
        Add(env, SinkCaCerts, sink.CACerts);
        // Without the flag the adapter presents its projected pod token (see AdapterDeploymentBuilder).
        Add(env, SinkAudience, sink.Audience);
        Add(env, OidcServiceAccount, identity?.OidcServiceAccountName);

        if (spec.CeOverrides?.Extensions is { Count: > 0 } extensions)
        {
            var json = new JsonObject { ["extensions"] = new JsonObject(extensions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)).ToList()) };
            Add(env, CeOverrides, json.ToJsonString());
        }

        if (spec.Delivery?.Timeout is { } timeout && Durations.TryParseIso(timeout, out var duration))
        {
            Add(env, SinkTimeout, Durations.CeilingSeconds(duration).ToString(CultureInfo.InvariantCulture));
        }

        Add(env, Name, source.Metadata.Name);
        Add(env, Namespace, source.Metadata.NamespaceProperty);
        // The pod's own name for knative.dev/pod on its log lines, from the downward API as Knative's components get it.
        env.Add(new V1EnvVar { Name = PodName, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } });
        Add(env, Endpoints, spec.Endpoints);
        Add(env, RocketMqNamespace, spec.Namespace);
        Add(env, Topic, spec.Topic);
        Add(env, ConsumerGroup, spec.ConsumerGroup);
        Add(env, FilterType, spec.Filter?.Type ?? SettingWords.TagFilter);
        Add(env, FilterExpression, spec.Filter?.Expression ?? SettingWords.AllTags);
        AddSecret(env, AccessKey, spec.Credentials?.AccessKey);
        AddSecret(env, SecretKey, spec.Credentials?.SecretKey);
        AddSecret(env, SecurityToken, spec.Credentials?.SecurityToken);
        Add(env, Tls, spec.Tls == true ? "true" : "false");
        AddSecret(env, ProxyCaCerts, spec.CaCert);
        Add(env, BatchSize, Number(spec.BatchSize));
        Add(env, InvisibleDuration, spec.InvisibleDuration);
        Add(env, AwaitDuration, spec.AwaitDuration);
        Add(env, MaxInFlight, Number(spec.MaxInFlight));
        Add(env, Ordering, spec.Ordering);
        Add(env, Retry, Number(spec.Delivery?.Retry));
        Add(env, BackoffPolicy, spec.Delivery?.BackoffPolicy);
        Add(env, BackoffDelay, spec.Delivery?.BackoffDelay);
        Add(env, DeadLetterSink, deadLetterSink?.Uri.ToString());
        Add(env, DeadLetterSinkCaCerts, deadLetterSink?.CACerts);
        Add(env, DeadLetterSinkAudience, deadLetterSink?.Audience);
        Add(env, AdapterVariables.LoggingConfig, settings.LoggingConfig);
        Add(env, ObservabilityConfig, settings.ObservabilityConfig);
        Add(env, MetricsPort, AdapterSettings.MetricsPort.ToString(CultureInfo.InvariantCulture));
        Add(env, HealthPort, AdapterSettings.HealthPort.ToString(CultureInfo.InvariantCulture));
        // .NET keeps its diagnostics socket under TMPDIR; /tmp is the only writable path.
        Add(env, TempDirectory, "/tmp");
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
            config[LoggingConfigKeys.ZapLoggerConfig] = zapConfig;
        }

        if (!string.IsNullOrWhiteSpace(adapterLevel))
        {
            // The key config/400-config-logging.yaml documents and the adapter reads.
            config[LoggingConfigKeys.AdapterLevel] = adapterLevel.Trim();
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
