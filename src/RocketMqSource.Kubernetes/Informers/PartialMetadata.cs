using k8s;
using k8s.Models;

namespace RocketMqSource.Kubernetes.Informers;

/// <summary>
/// Metadata-only list and watch, as client-go's metadata informer asks for them
/// (k8s.io/client-go/metadata metadata.go): the API server converts each object to
/// meta.k8s.io/v1 PartialObjectMetadata, so no spec, data or status crosses the wire. What is
/// cached is trimmed further to identity: annotations (a Secret's kubectl last-applied
/// configuration holds its data) and labels are not kept.
/// </summary>
internal static class PartialMetadata
{
    /// <summary>
    /// No plain-JSON fallback: a server that cannot convert answers 406 rather than sending whole
    /// objects (Secret values included). Every supported kube-apiserver converts.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ListHeaders =
        new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = ["application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"] };

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> WatchHeaders =
        new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = ["application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"] };

    public static V1PartialObjectMetadata Identity(IKubernetesObject<V1ObjectMeta> item) => new()
    {
        ApiVersion = item.ApiVersion,
        Kind = item.Kind,
        Metadata = ObjectIdentity.Of(item.Metadata),
    };
}
