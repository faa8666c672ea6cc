using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Emulator.Filters;

namespace RocketMqSource.Emulator.Broker;

/// <summary>One pop of a consumer group on a topic, after the proxy validated and clamped it.</summary>
internal sealed record PopRequest(
    string Group,
    string Topic,
    IMessageFilter Filter,
    int BatchSize,
    TimeSpan InvisibleDuration,
    int MaxAttempts,
    bool Orderly);

/// <summary>Per-entry outcome of an ack.</summary>
internal sealed record AckOutcome(string MessageId, string ReceiptHandle, Code Code, string Message);
