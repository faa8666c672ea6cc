using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Serialization;

/// <summary>Source-generated JSON metadata for every model this library ships (trimming/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(KubernetesList<V1Deployment>))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(KubernetesList<V1Lease>))]
[JsonSerializable(typeof(EventsV1Event))]
[JsonSerializable(typeof(KubernetesList<EventsV1Event>))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(V1Condition))]
[JsonSerializable(typeof(IList<V1Condition>))]
[JsonSerializable(typeof(V1ObjectMeta))]
[JsonSerializable(typeof(V1ObjectReference))]
[JsonSerializable(typeof(V1DeleteOptions))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(KubernetesList<JsonObject>))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
