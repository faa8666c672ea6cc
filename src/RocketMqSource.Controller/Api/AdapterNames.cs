using System.Security.Cryptography;
using System.Text;

namespace RocketMqSource.Controller.Api;

/// <summary>Names and labels of a source's adapter Deployment.</summary>
internal static class AdapterNames
{
    public const string SourceLabel = "eventing.knative.dev/source";
    public const string SourceNameLabel = "eventing.knative.dev/sourceName";
    public const string ControllerAgentName = "rocketmq-source-controller";
    public const string ManagedBy = "rocketmqsource-controller";
    public const string ContainerName = "receive-adapter";

    /// <summary>The label selector of every adapter Deployment this controller makes.</summary>
    public static string Selector => $"{SourceLabel}={ControllerAgentName}";

    /// <summary>rocketmqsource-{name}-{8 hex of the uid}: unique per source, DNS-1123 label, at most 63 characters.</summary>
    public static string DeploymentName(V1Alpha1RocketMQSource source)
    {
        const string prefix = "rocketmqsource-";
        var hash = ShortHash(source.Metadata.Uid ?? string.Empty);
        var name = (source.Metadata.Name ?? string.Empty).Replace('.', '-');
        var room = 63 - prefix.Length - 1 - hash.Length;
        if (name.Length > room)
        {
            name = name[..room];
        }

        return $"{prefix}{name.TrimEnd('-')}-{hash}";
    }

    /// <summary>A label value (at most 63 characters) that names the source.</summary>
    public static string SourceNameValue(string name) =>
        name.Length <= 63 ? name : $"{name[..54].TrimEnd('-', '.', '_')}-{ShortHash(name)}";

    public static IDictionary<string, string> SelectorLabels(V1Alpha1RocketMQSource source) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [SourceLabel] = ControllerAgentName,
        [SourceNameLabel] = SourceNameValue(source.Metadata.Name ?? string.Empty),
    };

    public static IDictionary<string, string> Labels(V1Alpha1RocketMQSource source)
    {
        var labels = SelectorLabels(source);
        labels["app.kubernetes.io/name"] = "rocketmqsource-adapter";
        labels["app.kubernetes.io/instance"] = SourceNameValue(source.Metadata.Name ?? string.Empty);
        labels["app.kubernetes.io/component"] = "adapter";
        labels["app.kubernetes.io/part-of"] = "rocketmq-source";
        labels["app.kubernetes.io/managed-by"] = ManagedBy;
        return labels;
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
