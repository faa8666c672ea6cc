using System.Globalization;
using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>What a source asks of its autoscaler, read from its annotations.</summary>
internal sealed record AutoscalingRequest(
    int MinScale,
    int MaxScale,
    int PollingInterval,
    int CooldownPeriod,
    int LagThreshold,
    int ActivationLagThreshold,
    string? QueryTemplate);

/// <summary>
/// The opt-in annotations, with the names and defaults eventing-kafka-broker uses for KafkaSource
/// (control-plane/pkg/autoscaler/autoscaler_api.go; class value from autoscaler/keda/keda.go).
/// </summary>
internal static class AutoscalingAnnotations
{
    public const string Prefix = "autoscaling.eventing.knative.dev/";
    public const string Class = Prefix + "class";
    public const string KedaClass = "keda.autoscaling.knative.dev";
    public const string MinScale = Prefix + "min-scale";
    public const string MaxScale = Prefix + "max-scale";
    public const string PollingInterval = Prefix + "polling-interval";
    public const string CooldownPeriod = Prefix + "cooldown-period";
    public const string LagThreshold = Prefix + "lag-threshold";
    public const string ActivationLagThreshold = Prefix + "activation-lag-threshold";

    /// <summary>Our own: a PromQL template replacing the ConfigMap's backlog query for this source.</summary>
    public const string BacklogQueryOverride = "sources.knative.dev/rocketmq-backlog-query";

    /// <summary>
    /// The CRD caps spec.replicas at 100, and KEDA writes the count through the scale subresource,
    /// which the API server validates against that schema: a higher max-scale could never be reached.
    /// </summary>
    public const int ReplicasCeiling = 100;

    public static bool RequestsKeda(V1Alpha1RocketMQSource source) =>
        source.Metadata.Annotations?.TryGetValue(Class, out var value) == true && value == KedaClass;

    /// <summary>The request, or a problem naming each bad annotation.</summary>
    public static (AutoscalingRequest? Request, string? Problem) Read(IDictionary<string, string>? annotations)
    {
        var problems = new List<string>();
        int Number(string key, int fallback, int min, int max)
        {
            if (annotations?.TryGetValue(key, out var text) != true)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be a whole number from {min} to {max}, got '{text}'"));
            return fallback;
        }

        var request = new AutoscalingRequest(
            MinScale: Number(MinScale, 0, 0, ReplicasCeiling),
            MaxScale: Number(MaxScale, 50, 1, ReplicasCeiling),
            PollingInterval: Number(PollingInterval, 10, 1, 3600),
            CooldownPeriod: Number(CooldownPeriod, 30, 0, 86400),
            LagThreshold: Number(LagThreshold, 100, 1, int.MaxValue),
            ActivationLagThreshold: Number(ActivationLagThreshold, 0, 0, int.MaxValue),
            QueryTemplate: annotations?.TryGetValue(BacklogQueryOverride, out var query) == true && !string.IsNullOrWhiteSpace(query) ? query : null);
        if (problems.Count == 0 && request.MinScale > request.MaxScale)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{MinScale} ({request.MinScale}) must not exceed {MaxScale} ({request.MaxScale})"));
        }

        return problems.Count == 0 ? (request, null) : (null, string.Join("; ", problems));
    }
}
