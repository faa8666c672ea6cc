namespace RocketMqSource.Controller.Queue;

/// <summary>Retry pacing of the work queue (client-go's defaults: 5 ms doubling to 1000 s per key, 10 qps / 100 burst overall).</summary>
internal sealed record WorkQueueOptions
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1000);

    public double QueriesPerSecond { get; init; } = 10;

    public int Burst { get; init; } = 100;
}
