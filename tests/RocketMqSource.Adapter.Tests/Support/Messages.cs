using System.Text;
using CloudNative.CloudEvents;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Contract;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Received RocketMQ messages for converter tests, and the converter the adapter builds.</summary>
internal static class Messages
{
    public static DateTimeOffset Born => MessageViews.Born;

    public static CloudEventConverter Converter(string? ns = "shop", string? name = "orders-source", IReadOnlyDictionary<string, string>? overrides = null) =>
        new(new EventSourceUri(ns, name, "order-adapter"), overrides ?? new Dictionary<string, string>());

    public static MessageView Plain(
        string body = """{"orderId":42}""",
        string? tag = null,
        IReadOnlyList<string>? keys = null,
        Dictionary<string, string>? properties = null,
        string? group = null,
        string id = "01ABCDEF",
        string topic = "orders") =>
        MessageViews.Create(id, Encoding.UTF8.GetBytes(body), topic, tag, keys, properties, group);

    public static MessageView Raw(byte[] body, IReadOnlyDictionary<string, string>? properties = null, string? tag = null) =>
        MessageViews.Create("01RAW", body, properties: properties, tag: tag);

    /// <summary>A message carrying what the RocketMQ binding put on an outgoing message.</summary>
    public static MessageView Carrying(Message message) =>
        MessageViews.Create("01CE", message.Body, message.Topic, message.Tag, message.Keys, message.Properties);

    /// <summary>The binary-mode request body the dispatcher sends for an event.</summary>
    public static async Task<byte[]> BodyOf(CloudEvent cloudEvent)
    {
        using var content = CloudNative.CloudEvents.Http.HttpClientExtensions.ToHttpContent(cloudEvent, ContentMode.Binary, AdapterEventFormatter.Instance);
        return await content.ReadAsByteArrayAsync();
    }
}
