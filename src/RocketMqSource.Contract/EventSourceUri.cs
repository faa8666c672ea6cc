namespace RocketMqSource.Contract;

/// <summary>
/// The event <c>source</c> of a plain message: <c>/apis/v1/namespaces/{NAMESPACE}/rocketmqsources/{NAME}#{topic}</c>,
/// each part percent-escaped. Without NAMESPACE the namespace reads <c>default</c>; without NAME the
/// consumer group stands in. The adapter's events and the controller's status.ceAttributes both
/// use this type, so they cannot drift apart.
/// </summary>
public sealed class EventSourceUri(string? kubernetesNamespace, string? name, string consumerGroup)
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

/// <summary>The CloudEvent type of a plain RocketMQ message, as the adapter sends it and status.ceAttributes announces it.</summary>
public static class RocketMqEvents
{
    public const string Type = "dev.knative.rocketmq.event";
}
