namespace RocketMqSource.Controller.Api;

/// <summary>Knative source duck status: conditions, observedGeneration, sink and the events emitted.</summary>
public sealed partial class RocketMQSourceStatus
{
    public long? ObservedGeneration { get; set; }

    public IList<Condition>? Conditions { get; set; }

    public string? SinkUri { get; set; }

    public string? SinkCACerts { get; set; }

    public string? SinkAudience { get; set; }

    /// <summary>knative/eventing pkg/apis/duck/v1 DeliveryStatus: the resolved dead-letter sink.</summary>
    public string? DeadLetterSinkUri { get; set; }

    public string? DeadLetterSinkCACerts { get; set; }

    public string? DeadLetterSinkAudience { get; set; }

    /// <summary>knative/pkg apis/duck/v1 AuthStatus: the OIDC identity the adapter presents to sinks.</summary>
    public AuthStatus? Auth { get; set; }

    public IList<CloudEventAttributes>? CeAttributes { get; set; }

    public IDictionary<string, string>? Annotations { get; set; }

    /// <summary>The adapter Deployment's current replicas: the scale subresource's status.replicas.</summary>
    public int? Replicas { get; set; }

    /// <summary>The adapter pods' label selector: the scale subresource's status.selector (an HPA finds the pods with it).</summary>
    public string? Selector { get; set; }
}

/// <summary>Knative's apis.Condition: metav1.Condition's fields plus an optional severity, with no observedGeneration.</summary>
public sealed class Condition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Severity { get; set; }

    /// <summary>Whole seconds (apis.VolatileTime), so a written status compares equal when read back.</summary>
    public DateTime? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}

public sealed class AuthStatus
{
    public string? ServiceAccountName { get; set; }
}

public sealed class CloudEventAttributes
{
    public string? Type { get; set; }

    public string? Source { get; set; }
}
