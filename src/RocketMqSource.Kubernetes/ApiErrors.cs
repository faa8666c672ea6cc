using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// Reads the API server's answer out of the official client's <see cref="HttpOperationException"/>,
/// like apimachinery's errors.IsNotFound / IsConflict / IsAlreadyExists / IsGone.
/// </summary>
public static class ApiErrors
{
    public static HttpStatusCode Code(this HttpOperationException e) => e.Response.StatusCode;

    /// <summary>The metav1.Status the server sent, or null (e.g. a proxy's HTML page).</summary>
    public static V1Status? Status(this HttpOperationException e)
    {
        var body = e.Response.Content;
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Status>(body) is { Kind: "Status" } status ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsNotFound(this HttpOperationException e) => e.Code() == HttpStatusCode.NotFound;

    public static bool IsAlreadyExists(this HttpOperationException e) => e.Code() == HttpStatusCode.Conflict && e.Status()?.Reason == "AlreadyExists";

    /// <summary>An optimistic-concurrency conflict (stale resourceVersion): re-read and retry.</summary>
    public static bool IsConflict(this HttpOperationException e) => e.Code() == HttpStatusCode.Conflict && e.Status()?.Reason != "AlreadyExists";

    /// <summary>The resourceVersion is too old (compacted): relist.</summary>
    public static bool IsGone(this HttpOperationException e) => e.Code() == HttpStatusCode.Gone;

    /// <summary>One line for logs and Events: "404 NotFound: brokers.eventing.knative.dev \"default\" not found".</summary>
    public static string Describe(this HttpOperationException e) =>
        e.Status() is { Message.Length: > 0 } status
            ? $"Kubernetes API {(int)e.Code()} {status.Reason}: {status.Message}"
            : $"Kubernetes API {(int)e.Code()} {e.Code()}";
}
