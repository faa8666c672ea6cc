using System.IO.Compression;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;
using ProtoMessage = RocketMqSource.RocketMq.Protocol.Message;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>Translations between the public model and the wire types (pure).</summary>
internal static class ProtocolConversions
{
    public static Resource Resource(string @namespace, string name) => new() { ResourceNamespace = @namespace, Name = name };

    public static Protocol.FilterExpression ToProtocol(FilterExpression filter) => new()
    {
        Type = filter.Type == ExpressionType.Sql92 ? FilterType.Sql : FilterType.Tag,
        Expression = filter.Expression,
    };

    public static MessageType TypeOf(Message message) =>
        message.MessageGroup is not null ? MessageType.Fifo
        : message.DeliveryTimestamp is not null ? MessageType.Delay
        : MessageType.Normal;

    public static ProtoMessage ToProtocol(
        Message message, string @namespace, string messageId, int queueId, DateTimeOffset bornTime, string bornHost)
    {
        var system = new SystemProperties
        {
            MessageId = messageId,
            BodyEncoding = Encoding.Identity,
            MessageType = TypeOf(message),
            BornTimestamp = Timestamp.FromDateTimeOffset(bornTime),
            BornHost = bornHost,
            QueueId = queueId,
        };
        system.Keys.AddRange(message.Keys);
        if (message.Tag is not null)
        {
            system.Tag = message.Tag;
        }

        if (message.MessageGroup is not null)
        {
            system.MessageGroup = message.MessageGroup;
        }

        if (message.TraceContext is not null)
        {
            system.TraceContext = message.TraceContext;
        }

        if (message.DeliveryTimestamp is { } delivery)
        {
            system.DeliveryTimestamp = Timestamp.FromDateTime(DateTime.SpecifyKind(delivery, DateTimeKind.Utc));
        }

        var result = new ProtoMessage
        {
            Topic = Resource(@namespace, message.Topic),
            SystemProperties = system,
            Body = ByteString.CopyFrom(message.Body),
        };
        foreach (var (key, value) in message.Properties)
        {
            result.UserProperties[key] = value;
        }
        return result;
    }

    /// <summary>One read-only empty map for every message without user properties.</summary>
    private static readonly IReadOnlyDictionary<string, string> NoProperties = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public static MessageView ToView(ProtoMessage message, EndpointAddress endpoint)
    {
        var system = message.SystemProperties ?? new SystemProperties();
        return new MessageView(
            system.MessageId,
            message.Topic?.Name ?? string.Empty,
            DecodeBody(message.Body, system.BodyEncoding),
            system.HasTag ? system.Tag : null,
            [.. system.Keys],
            message.UserProperties.Count == 0 ? NoProperties : new Dictionary<string, string>(message.UserProperties, StringComparer.Ordinal),
            system.HasMessageGroup ? system.MessageGroup : null,
            system.DeliveryTimestamp?.ToDateTime(),
            system.BornHost,
            system.BornTimestamp?.ToDateTime() ?? DateTime.UnixEpoch,
            system.HasDeliveryAttempt ? system.DeliveryAttempt : 1,
            system.HasReceiptHandle ? system.ReceiptHandle : string.Empty,
            endpoint,
            system.HasTraceContext ? system.TraceContext : null);
    }

    private static byte[] DecodeBody(ByteString body, Encoding encoding)
    {
        if (encoding != Encoding.Gzip)
        {
            return Bytes(body);
        }

        using var input = new GZipStream(new MemoryStream(Bytes(body), writable: false), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// The bytes of a parsed ByteString without a copy: parsing gives each ByteString an array of its
    /// own (Google.Protobuf ParsingPrimitives.ReadRawBytes), which nothing else writes, and the
    /// response it came from is dropped once converted. Any other ByteString is copied.
    /// </summary>
    private static byte[] Bytes(ByteString body) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToByteArray();
}
