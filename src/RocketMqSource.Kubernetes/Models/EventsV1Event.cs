using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Models;

/// <summary>
/// events.k8s.io/v1 Event. Chosen over core/v1 Event because it is the maintained API
/// (GA since 1.19): it names the reporting controller/instance, carries an explicit
/// <c>series</c> for aggregating repeats, and the API server still serves it through
/// core/v1 so <c>kubectl describe</c> shows it.
/// </summary>
public sealed class EventsV1Event : IKubernetesObject
{
    public const string ApiGroupVersion = "events.k8s.io/v1";
    public const string KindName = "Event";

    public string? ApiVersion { get; set; } = ApiGroupVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta? Metadata { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public EventsV1EventSeries? Series { get; set; }

    public string? ReportingController { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }

    public string? Reason { get; set; }

    public V1ObjectReference? Regarding { get; set; }

    public V1ObjectReference? Related { get; set; }

    public string? Note { get; set; }

    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }
}

public sealed class EventsV1EventSeries
{
    public int Count { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}
