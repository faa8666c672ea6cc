namespace RocketMqSource.Kubernetes;

/// <summary>What an informer watches and how often it resyncs.</summary>
public sealed record InformerOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Every period, each cached object is handed to Updated(old, new) with old == new; null turns resync off.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>Pause before listing again after an unexpected failure.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Server-side watch timeout; the informer then re-watches from its last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;
}
