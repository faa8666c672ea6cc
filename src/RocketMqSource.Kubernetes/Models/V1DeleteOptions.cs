namespace RocketMqSource.Kubernetes.Models;

/// <summary>metav1.DeleteOptions (the body of a DELETE).</summary>
public sealed class V1DeleteOptions
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "DeleteOptions";

    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; set; }

    public long? GracePeriodSeconds { get; set; }

    public V1Preconditions? Preconditions { get; set; }
}

public sealed class V1Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}

/// <summary>Values of DeleteOptions.PropagationPolicy.</summary>
public static class PropagationPolicy
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";
}
