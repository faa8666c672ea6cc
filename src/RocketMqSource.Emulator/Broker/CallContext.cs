namespace RocketMqSource.Emulator.Broker;

/// <summary>What the proxy reads from a call's metadata, independent of the transport.</summary>
internal sealed record CallContext(
    string? ClientId,
    string? Authorization = null,
    string? DateTime = null,
    DateTimeOffset? Deadline = null);
