using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Controller.Api;

/// <summary>JSON metadata for the controller's typed resources, passed to the KubernetesClient.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Alpha1RocketMQSource))]
[JsonSerializable(typeof(KubernetesList<V1Alpha1RocketMQSource>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(RocketMQSourceStatus))]
internal sealed partial class ControllerJsonContext : JsonSerializerContext;
