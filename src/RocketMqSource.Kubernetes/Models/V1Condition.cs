using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Models;

/// <summary>
/// A status condition (metav1.Condition, with the optional Knative <c>severity</c>).
/// Status is "True", "False" or "Unknown".
/// </summary>
public sealed class V1Condition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Severity { get; set; }

    public long? ObservedGeneration { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }
}
