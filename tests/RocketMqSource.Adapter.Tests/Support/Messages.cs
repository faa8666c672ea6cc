using System.Text;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.CloudEvents;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Plain RocketMQ messages for converter tests, and the converter the adapter builds.</summary>
internal static class Messages
{
    public static readonly DateTimeOffset Born = new(2026, 11, 21, 12, 30, 15, 123, TimeSpan.Zero);

    public static CloudEventConverter Converter(string? ns = "shop", string? name = "orders-source") =>
        new(new PlainMessageMapper(new EventSourceUri(ns, name, "order-adapter")));

    public static RocketMqMessage Plain(
        string body = """{"orderId":42}""",
        string? tag = null,
        IReadOnlyList<string>? keys = null,
        Dictionary<string, string>? properties = null,
        string? group = null,
        string id = "01ABCDEF",
        string topic = "orders") =>
        new(id, topic, Encoding.UTF8.GetBytes(body), tag, keys ?? [], properties ?? [], group, Born);

    public static RocketMqMessage Raw(byte[] body, Dictionary<string, string>? properties = null) =>
        new("01RAW", "orders", body, null, [], properties ?? [], null, Born);

    public static CloudEvent EventOf(IOutgoingEvent outgoing) => Assert.IsType<BinaryModeEvent>(outgoing).Event;

    public static ReceivedMessage Received(RocketMqMessage message) => new(message.MessageId, message.MessageGroup, "handle", 1, message);
}
