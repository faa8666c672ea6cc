using k8s.Models;

namespace RocketMqSource.Controller.Api;

/// <summary>What to consume, how, and where to send the events. Defaults live in the CRD schema.</summary>
public sealed class RocketMQSourceSpec
{
    public string? Endpoints { get; set; }

    /// <summary>RocketMQ namespace (instance id), not a Kubernetes namespace.</summary>
    public string? Namespace { get; set; }

    public string? Topic { get; set; }

    public string? ConsumerGroup { get; set; }

    public RocketMQFilter? Filter { get; set; }

    public RocketMQCredentials? Credentials { get; set; }

    public bool? Tls { get; set; }

    public SecretValueFromSource? CaCert { get; set; }

    public int? BatchSize { get; set; }

    public string? InvisibleDuration { get; set; }

    public string? AwaitDuration { get; set; }

    public int? MaxInFlight { get; set; }

    public string? Ordering { get; set; }

    public DeliverySpec? Delivery { get; set; }

    public Destination? Sink { get; set; }

    public CloudEventOverrides? CeOverrides { get; set; }

    public string? ServiceAccountName { get; set; }

    public int? Replicas { get; set; }

    /// <summary>The adapter container's requests/limits.</summary>
    public V1ResourceRequirements? Resources { get; set; }
}

public sealed class RocketMQFilter
{
    public string? Type { get; set; }

    public string? Expression { get; set; }
}

public sealed class RocketMQCredentials
{
    public SecretValueFromSource? AccessKey { get; set; }

    public SecretValueFromSource? SecretKey { get; set; }

    public SecretValueFromSource? SecurityToken { get; set; }
}

/// <summary>A value read from one key of a Secret in the source's namespace.</summary>
public sealed class SecretValueFromSource
{
    public SecretKeyReference? SecretKeyRef { get; set; }
}

public sealed class SecretKeyReference
{
    public string? Name { get; set; }

    public string? Key { get; set; }
}

/// <summary>Knative's DeliverySpec (the fields a source honours).</summary>
public sealed class DeliverySpec
{
    public int? Retry { get; set; }

    public string? BackoffPolicy { get; set; }

    public string? BackoffDelay { get; set; }

    public string? Timeout { get; set; }

    public Destination? DeadLetterSink { get; set; }
}

/// <summary>Knative duckv1.Destination: a reference to an Addressable, a URI, or a URI relative to the reference.</summary>
public sealed class Destination
{
    public KReference? Ref { get; set; }

    public string? Uri { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("CACerts")]
    public string? CACerts { get; set; }

    public string? Audience { get; set; }
}

/// <summary>Knative duckv1.KReference.</summary>
public sealed class KReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }
}

public sealed class CloudEventOverrides
{
    public IDictionary<string, string>? Extensions { get; set; }
}
