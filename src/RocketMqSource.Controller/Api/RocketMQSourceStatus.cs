using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Controller.Api;

/// <summary>Knative source duck status: conditions, observedGeneration, sink and the events emitted.</summary>
public sealed class RocketMQSourceStatus
{
    public long? ObservedGeneration { get; set; }

    public IList<V1Condition>? Conditions { get; set; }

    public string? SinkUri { get; set; }

    public string? SinkCACerts { get; set; }

    public string? SinkAudience { get; set; }

    public IList<CloudEventAttributes>? CeAttributes { get; set; }

    public IDictionary<string, string>? Annotations { get; set; }
}

public sealed class CloudEventAttributes
{
    public string? Type { get; set; }

    public string? Source { get; set; }
}
