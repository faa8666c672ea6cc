using System.Net;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>An API request failed; carries the server's Status (reason, code, message) when it sent one.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(HttpStatusCode statusCode, V1Status? status)
        : base(Describe(statusCode, status))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    public V1Status? Status { get; }

    /// <summary>The Status reason, e.g. NotFound, AlreadyExists, Conflict, Expired.</summary>
    public string? Reason => Status?.Reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>An optimistic-concurrency conflict (stale resourceVersion): re-read and retry.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason != "AlreadyExists";

    /// <summary>The resourceVersion is too old (compacted): relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    private static string Describe(HttpStatusCode code, V1Status? status) =>
        status?.Message is { Length: > 0 } message
            ? $"Kubernetes API {(int)code} {status.Reason}: {message}"
            : $"Kubernetes API {(int)code} {code}";
}
