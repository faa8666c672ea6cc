using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Any object read as Knative's Addressable duck type (knative.dev/pkg apis/duck/v1
/// AddressableType): only metadata and the address fields of its status, whatever its kind.
/// </summary>
internal sealed class Addressable : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public AddressableStatus? Status { get; set; }
}

/// <summary>duckv1.AddressStatus, the Ready condition, and the public URL a Knative Service also reports.</summary>
internal sealed class AddressableStatus
{
    public Addressee? Address { get; set; }

    public IList<Addressee>? Addresses { get; set; }

    public string? Url { get; set; }

    public IList<Condition>? Conditions { get; set; }
}

/// <summary>duckv1.Addressable: one address with what to trust and present there.</summary>
internal sealed class Addressee
{
    public string? Name { get; set; }

    public string? Url { get; set; }

    [JsonPropertyName("CACerts")]
    public string? CACerts { get; set; }

    public string? Audience { get; set; }
}
