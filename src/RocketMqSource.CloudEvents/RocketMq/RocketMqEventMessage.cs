namespace RocketMqSource.CloudEvents.RocketMq;

/// <summary>
/// The parts of a RocketMQ message that carry a CloudEvent: user properties and body. The caller
/// copies them into whatever message type its RocketMQ client uses.
/// </summary>
public sealed record RocketMqEventMessage(Dictionary<string, string> Properties, ReadOnlyMemory<byte> Body);
