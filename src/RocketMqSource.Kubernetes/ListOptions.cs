namespace RocketMqSource.Kubernetes;

/// <summary>Query options of a list request.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}

/// <summary>Query options of a watch request.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this version; null or "" sends the current state as ADDED events first.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Ask the server to end the stream after this many seconds.</summary>
    public int? TimeoutSeconds { get; init; }
}
