using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>What the converter reads of a received RocketMQ message (free of the client, so conversion is pure).</summary>
internal sealed record RocketMqMessage(
    string MessageId,
    string Topic,
    ReadOnlyMemory<byte> Body,
    string? Tag,
    IReadOnlyList<string> Keys,
    IReadOnlyDictionary<string, string> Properties,
    string? MessageGroup,
    DateTimeOffset BornTime)
{
    public static RocketMqMessage From(MessageView view) => new(
        view.MessageId,
        view.Topic,
        view.Body,
        view.Tag,
        view.Keys,
        view.Properties,
        view.MessageGroup,
        new DateTimeOffset(DateTime.SpecifyKind(view.BornTime, DateTimeKind.Utc)));
}
