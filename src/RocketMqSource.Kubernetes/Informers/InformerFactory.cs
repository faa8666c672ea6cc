using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace RocketMqSource.Kubernetes.Informers;

/// <summary>
/// Informers started the first time a reconcile asks for a kind (a sink's kind, Secrets,
/// ScaledObjects), one per resource and object type, as knative/pkg apis/duck
/// CachedInformerFactory and TypedInformerFactory do: the first caller lists once to learn
/// whether the server serves the kind and may be read (a 404 or 403 reaches the caller, and
/// the next caller tries again), then waits until the new informer has synced. Every change any
/// of them sees is reported through <see cref="Changed"/>.
/// </summary>
public sealed class InformerFactory(IKubernetes client, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<(ResourceType, Type), Lazy<Task<object>>> informers = new();
    private readonly ConcurrentBag<Task> running = [];

    /// <summary>A cached object of this resource was added, changed or deleted.</summary>
    public event Action<ResourceType, IKubernetesObject<V1ObjectMeta>>? Changed;

    /// <summary>A list/watch failure after the informer started; it keeps retrying.</summary>
    public event Action<Exception>? Error;

    /// <param name="trim">What the cache keeps of each object (see <see cref="Informer{T}"/>); ignored after the first call for the kind.</param>
    public async Task<Informer<T>> GetAsync<T>(ResourceType resource, Func<T, T>? trim, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = (resource, typeof(T));
        var entry = informers.GetOrAdd(key, _ => new Lazy<Task<object>>(() => StartAsync(resource, trim)));
        try
        {
            return (Informer<T>)await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not served or not allowed yet: forget the attempt so the next reconcile asks again.
            informers.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>Completes when every started informer has stopped (after the factory's token is cancelled).</summary>
    public Task StoppedAsync() => Task.WhenAll(running);

    private async Task<object> StartAsync<T>(ResourceType resource, Func<T, T>? trim)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var headers = typeof(T) == typeof(V1PartialObjectMetadata) ? PartialMetadata.ListHeaders : null;
        using (await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(
            resource.Group, resource.Version, resource.Plural, limit: 1, customHeaders: headers, cancellationToken: stopping).ConfigureAwait(false))
        {
            // Served and readable: the informer's own list follows.
        }

        var informer = new Informer<T>(client, resource, options: new InformerOptions { RetryDelay = TimeSpan.FromSeconds(5) }, trim: trim);
        informer.Added += o => Changed?.Invoke(resource, o);
        informer.Updated += (_, o) => Changed?.Invoke(resource, o);
        informer.Deleted += o => Changed?.Invoke(resource, o);
        informer.Error += e => Error?.Invoke(e);
        running.Add(informer.RunAsync(stopping));
        await informer.WaitForSyncAsync(stopping).ConfigureAwait(false);
        return informer;
    }
}
