namespace RocketMqSource.Kubernetes.Informers;

/// <summary>What an informer watches and how often it resyncs.</summary>
public sealed record InformerOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Every period, each cached object is handed to Updated(old, new) with old == new; null turns resync off.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>Pause before listing again after an unexpected failure; doubled for each list that fails in a row.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where the doubling stops: 30 s, as client-go's reflector backs off (tools/cache/reflector.go,
    /// 800 ms doubling to 30 s), so a kind that is not served (KEDA not installed) costs one
    /// request and one warning every 30 s rather than every few seconds.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the retry pauses and resyncs wait on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Server-side watch timeout; the informer then re-watches from its last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;
}
