using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>Types of watch events.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Only metadata.resourceVersion is meaningful: the stream is current up to it.</summary>
    Bookmark,

    /// <summary>The server reports a problem (Status); 410 means the version is too old: relist.</summary>
    Error,
}

/// <summary>One event of a watch stream.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, string? ResourceVersion, V1Status? Status)
    where T : class;
