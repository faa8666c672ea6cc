using RocketMqSource.Emulator.Filters;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// One pop of a consumer group on a topic, after the proxy validated and clamped it.
/// <paramref name="RenewWhile"/> is set for auto-renew receives: deliveries stay invisible while it returns true.
/// </summary>
internal sealed record PopRequest(
    string Group,
    string Topic,
    IMessageFilter Filter,
    int BatchSize,
    TimeSpan InvisibleDuration,
    int MaxAttempts,
    bool Orderly,
    Func<bool>? RenewWhile = null);
