using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// Operations on any resource. <typeparamref name="T"/> is a typed model (IKubernetesObject)
/// or <see cref="System.Text.Json.Nodes.JsonObject"/> for custom resources and arbitrary
/// addressables. A null namespace on list/watch of a namespaced type means all namespaces.
/// </summary>
public interface IKubernetes
{
    Uri BaseUri { get; }

    Task<T> GetAsync<T>(ResourceType type, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class;

    Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Creates the object; the namespace defaults to the object's metadata.namespace.</summary>
    Task<T> CreateAsync<T>(ResourceType type, T obj, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Replaces (PUT) the object; its metadata.resourceVersion makes the write conditional.</summary>
    Task<T> ReplaceAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Replaces only the status (PUT .../status).</summary>
    Task<T> ReplaceStatusAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class;

    Task<T> PatchAsync<T>(ResourceType type, string name, V1Patch patch, string? @namespace = null, PatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class;

    Task<T> PatchStatusAsync<T>(ResourceType type, string name, V1Patch patch, string? @namespace = null, PatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Deletes the object; returns the server's Status. Use <see cref="PropagationPolicy"/> for dependents.</summary>
    Task<V1Status?> DeleteAsync(ResourceType type, string name, string? @namespace = null, V1DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams watch events until the server ends the stream or the token is cancelled.
    /// A too-old resourceVersion shows up as an Error event with code 410 (or a
    /// <see cref="KubernetesApiException"/> with IsGone): relist and watch again.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? @namespace = null, WatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class;
}

/// <summary>Options of a patch request.</summary>
public sealed record PatchOptions
{
    /// <summary>Required for server-side apply.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Server-side apply: take ownership of conflicting fields.</summary>
    public bool? Force { get; init; }
}
