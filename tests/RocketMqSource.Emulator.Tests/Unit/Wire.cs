using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Tests.Unit;

/// <summary>Builders for wire messages used by the unit tests.</summary>
internal static class Wire
{
    private static int _sequence;

    public static Message Message(string topic, string body = "hello", string? tag = null, string? group = null,
        DateTimeOffset? deliverAt = null, IDictionary<string, string>? properties = null, MessageType type = MessageType.Unspecified)
    {
        var system = new SystemProperties
        {
            MessageId = $"TEST{Interlocked.Increment(ref _sequence):D8}",
            BodyEncoding = RocketMq.Protocol.Encoding.Identity,
            MessageType = type,
        };
        if (tag is not null)
        {
            system.Tag = tag;
        }

        if (group is not null)
        {
            system.MessageGroup = group;
        }

        if (deliverAt is { } due)
        {
            system.DeliveryTimestamp = Timestamp.FromDateTimeOffset(due);
        }

        var message = new Message { Topic = new Resource { Name = topic }, SystemProperties = system, Body = ByteString.CopyFromUtf8(body) };
        if (properties is not null)
        {
            message.UserProperties.Add(properties);
        }

        return message;
    }

    public static Resource Resource(string name) => new() { Name = name };
}
