using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>The consume loop's settings.</summary>
internal sealed record ConsumeOptions(
    string Topic,
    string ConsumerGroup,
    int BatchSize,
    int MaxInFlight,
    TimeSpan InvisibleDuration,
    bool Ordered,
    TimeSpan HandBackDelay,
    TimeSpan ShutdownGracePeriod)
{
    /// <summary>How long a delivered message may wait for more to share its ack request.</summary>
    public TimeSpan AckLinger { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The proxy address(es), for log lines and the readiness message.</summary>
    public string Endpoints { get; init; } = string.Empty;

    /// <summary>Upper bound of the wait between failed receive calls (doubling from 1s).</summary>
    public TimeSpan MaxReceiveRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public static ConsumeOptions From(AdapterOptions options) => new(
        options.RocketMq.Topic,
        options.RocketMq.ConsumerGroup,
        options.RocketMq.BatchSize,
        options.RocketMq.MaxInFlight,
        options.RocketMq.InvisibleDuration,
        options.RocketMq.Ordering == Ordering.Ordered,
        options.RocketMq.HandBackDelay,
        options.Operations.ShutdownGracePeriod)
    {
        Endpoints = string.Join(';', options.RocketMq.Endpoints),
    };
}
