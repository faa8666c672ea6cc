using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Any object read as Knative's Addressable duck type (knative.dev/pkg apis/duck/v1
/// AddressableType): only metadata and the address fields of its status, whatever its kind.
/// The sink informers cache these, trimmed to identity and address (<see cref="Trim"/>).
/// </summary>
internal sealed class Addressable : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public AddressableStatus? Status { get; set; }

    /// <summary>What the resolver reads: name, namespace, versions, the addresses and the Ready condition.</summary>
    public static Addressable Trim(Addressable item) => new()
    {
        ApiVersion = item.ApiVersion,
        Kind = item.Kind,
        Metadata = ObjectIdentity.Of(item.Metadata),
        Status = item.Status is { } status
            ? new AddressableStatus
            {
                Address = status.Address,
                Addresses = status.Addresses,
                Url = status.Url,
                Conditions = status.Conditions?.Where(c => c.Type == "Ready").Select(c => new Condition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message }).ToList(),
            }
            : null,
    };
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

/// <summary>A core v1 Service as the resolver reads it: its ports only.</summary>
internal sealed class CoreService : IKubernetesObject<V1ObjectMeta>
{
    public static ResourceType Resource { get; } = new("", "v1", "services");

    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public CoreServiceSpec? Spec { get; set; }

    public static CoreService Trim(CoreService item) => new()
    {
        ApiVersion = item.ApiVersion,
        Kind = item.Kind,
        Metadata = ObjectIdentity.Of(item.Metadata),
        Spec = new CoreServiceSpec { Ports = item.Spec?.Ports?.Select(p => new CoreServicePort { Name = p.Name, Port = p.Port }).ToList() },
    };
}

internal sealed class CoreServiceSpec
{
    public IList<CoreServicePort>? Ports { get; set; }
}

internal sealed class CoreServicePort
{
    public string? Name { get; set; }

    public int Port { get; set; }
}
