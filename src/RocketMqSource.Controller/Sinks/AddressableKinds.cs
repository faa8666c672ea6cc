using RocketMqSource.Controller.Api;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Sinks;

/// <summary>Maps a reference's apiVersion and kind to the resource to GET, like Knative's kind-to-resource rule.</summary>
internal static class AddressableKinds
{
    public static ResourceType ResourceOf(KReference reference)
    {
        var apiVersion = reference.ApiVersion ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return new ResourceType(group, version, Plural(reference.Kind ?? string.Empty));
    }

    public static bool IsCoreService(KReference reference) => reference.ApiVersion == "v1" && reference.Kind == "Service";

    public static bool IsKnativeService(KReference reference) =>
        reference.Kind == "Service" && (reference.ApiVersion ?? string.Empty).StartsWith("serving.knative.dev/", StringComparison.Ordinal);

    /// <summary>Lower-case plural: Broker → brokers, Policy → policies, Ingress → ingresses.</summary>
    public static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s'))
        {
            return lower + "es";
        }

        return lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2], StringComparison.Ordinal)
            ? lower[..^1] + "ies"
            : lower + "s";
    }

    /// <summary>"Broker food/default", the way people name objects in messages.</summary>
    public static string Describe(KReference reference, string @namespace) => $"{reference.Kind} {@namespace}/{reference.Name}";
}
