namespace RocketMqSource.Kubernetes.Models;

/// <summary>apps/v1 Deployment (the fields a source controller manages).</summary>
public sealed class V1Deployment : IKubernetesObject
{
    public const string ApiGroupVersion = "apps/v1";
    public const string KindName = "Deployment";

    public string? ApiVersion { get; set; } = ApiGroupVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta? Metadata { get; set; }

    public V1DeploymentSpec? Spec { get; set; }

    public V1DeploymentStatus? Status { get; set; }
}

public sealed class V1DeploymentSpec
{
    public int? Replicas { get; set; }

    public V1LabelSelector? Selector { get; set; }

    public V1PodTemplateSpec? Template { get; set; }

    public int? RevisionHistoryLimit { get; set; }

    public int? ProgressDeadlineSeconds { get; set; }
}

public sealed class V1DeploymentStatus
{
    public long? ObservedGeneration { get; set; }

    public int? Replicas { get; set; }

    public int? UpdatedReplicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    public int? UnavailableReplicas { get; set; }

    public IList<V1DeploymentCondition>? Conditions { get; set; }
}

/// <summary>apps/v1 DeploymentCondition (Available, Progressing, ReplicaFailure).</summary>
public sealed class V1DeploymentCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    [System.Text.Json.Serialization.JsonConverter(typeof(Serialization.KubernetesTimeConverter))]
    public DateTimeOffset? LastUpdateTime { get; set; }

    [System.Text.Json.Serialization.JsonConverter(typeof(Serialization.KubernetesTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }
}

/// <summary>metav1.LabelSelector.</summary>
public sealed class V1LabelSelector
{
    public IDictionary<string, string>? MatchLabels { get; set; }

    public IList<V1LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class V1LabelSelectorRequirement
{
    public string? Key { get; set; }

    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    public string? Operator { get; set; }

    public IList<string>? Values { get; set; }
}
