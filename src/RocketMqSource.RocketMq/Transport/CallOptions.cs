namespace RocketMqSource.RocketMq.Transport;

/// <summary>Per-call settings: request metadata (headers), the deadline and the caller's cancellation.</summary>
internal readonly record struct CallOptions(
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    TimeSpan? Timeout,
    CancellationToken CancellationToken)
{
    public static CallOptions Default => new([], null, CancellationToken.None);
}
