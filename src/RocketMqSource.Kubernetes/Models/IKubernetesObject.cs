namespace RocketMqSource.Kubernetes.Models;

/// <summary>A typed Kubernetes object: apiVersion, kind and object metadata.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    V1ObjectMeta? Metadata { get; set; }
}
