using System.Text;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// An adapter Deployment as the controller's cache keeps it: identity, generation, labels and
/// owners, the replica count and selector, the status, and the pod template only as the JSON the
/// planner compares (about a quarter of the typed object's memory). An update starts from the
/// whole stored object, read when it is written.
/// </summary>
internal sealed class CachedDeployment : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "apps/v1";

    public string Kind { get; set; } = V1Deployment.KubeKind;

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1DeploymentSpec? Spec { get; set; }

    public V1DeploymentStatus? Status { get; set; }

    /// <summary>spec.template as the official model writes it (UTF-8), or null.</summary>
    [JsonIgnore]
    public byte[]? Template { get; private init; }

    public static CachedDeployment Trim(CachedDeployment item) => new()
    {
        ApiVersion = item.ApiVersion,
        Kind = item.Kind,
        Metadata = ObjectIdentity.WithOwners(item.Metadata),
        Spec = item.Spec is { } spec ? new V1DeploymentSpec { Replicas = spec.Replicas, Selector = spec.Selector } : null,
        Status = item.Status,
        Template = item.Spec?.Template is { } template ? Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)) : item.Template,
    };

    /// <summary>A Deployment read from or written to the API server, as the cache would keep it.</summary>
    public static CachedDeployment From(V1Deployment deployment) =>
        Trim(new CachedDeployment { ApiVersion = deployment.ApiVersion, Kind = deployment.Kind, Metadata = deployment.Metadata, Spec = deployment.Spec, Status = deployment.Status });

    /// <summary>The typed Deployment the status reads (everything but the pod template).</summary>
    public V1Deployment ToDeployment() => new() { ApiVersion = ApiVersion, Kind = Kind, Metadata = Metadata, Spec = Spec, Status = Status };
}
