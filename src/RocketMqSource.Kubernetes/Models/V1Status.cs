namespace RocketMqSource.Kubernetes.Models;

/// <summary>metav1.Status: the API server's error (and some success) body.</summary>
public sealed class V1Status
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ListMeta? Metadata { get; set; }

    /// <summary>"Success" or "Failure".</summary>
    public string? Status { get; set; }

    public string? Message { get; set; }

    /// <summary>Machine-readable reason, e.g. NotFound, AlreadyExists, Conflict, Expired, Gone.</summary>
    public string? Reason { get; set; }

    public V1StatusDetails? Details { get; set; }

    public int? Code { get; set; }
}

/// <summary>metav1.StatusDetails.</summary>
public sealed class V1StatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Uid { get; set; }

    public int? RetryAfterSeconds { get; set; }

    public IList<V1StatusCause>? Causes { get; set; }
}

/// <summary>metav1.StatusCause.</summary>
public sealed class V1StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }
}
