namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// The event <c>source</c> of a plain message: <c>/apis/v1/namespaces/{NAMESPACE}/rocketmqsources/{NAME}#{topic}</c>,
/// each part percent-escaped. Without NAMESPACE the namespace reads <c>default</c>; without NAME the
/// consumer group stands in. The controller compiles this same file (linked) for status.ceAttributes,
/// so the status and the events cannot drift apart.
/// </summary>
internal sealed class EventSourceUri(string? kubernetesNamespace, string? name, string consumerGroup)
{
    private readonly string prefix =
        $"/apis/v1/namespaces/{Uri.EscapeDataString(kubernetesNamespace ?? "default")}/rocketmqsources/{Uri.EscapeDataString(name ?? consumerGroup)}#";
    private readonly Dictionary<string, Uri> byTopic = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The source for messages of <paramref name="topic"/> (built once per topic).</summary>
    public Uri For(string topic)
    {
        lock (gate)
        {
            if (!byTopic.TryGetValue(topic, out var uri))
            {
                uri = new Uri(Text(topic), UriKind.Relative);
                byTopic[topic] = uri;
            }

            return uri;
        }
    }

    /// <summary>The source as the CloudEvents SDK writes it (a URI-reference's original string).</summary>
    public string Text(string topic) => prefix + Uri.EscapeDataString(topic);
}
