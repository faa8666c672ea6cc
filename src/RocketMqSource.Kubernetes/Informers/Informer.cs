using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RocketMqSource.Kubernetes.Informers;

/// <summary>
/// Keeps a local cache of one resource type by list + watch through the official client and
/// calls handlers for every change. Like client-go's reflector: a finished or failed watch
/// resumes from the last seen resourceVersion (bookmarks keep it fresh); 410 Gone relists, and
/// the relist is diffed against the cache so handlers see only real changes (deletions included).
/// Handlers run one at a time on the informer's loop. <typeparamref name="T"/> is any typed
/// object: a built-in model (V1Deployment), a custom resource type, a duck type that reads only
/// the fields it declares, or V1PartialObjectMetadata when only names and versions matter.
/// A trim function (client-go's SetTransform) drops what the cache need not keep before it is stored.
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes client;
    private readonly ResourceType type;
    private readonly string? @namespace;
    private readonly InformerOptions options;
    private readonly Func<T, T>? trim;
    private readonly InformerStore<T> store = new();
    private readonly Lock gate = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int listCount;

    /// <param name="namespace">Only this namespace; null watches all namespaces (or a cluster-scoped type).</param>
    /// <param name="trim">What of each object the cache keeps (handlers see the trimmed object too); null keeps it whole.</param>
    public Informer(IKubernetes client, ResourceType type, string? @namespace = null, InformerOptions? options = null, Func<T, T>? trim = null)
    {
        this.client = client;
        this.type = type;
        this.@namespace = @namespace;
        this.options = options ?? new InformerOptions();
        this.trim = trim;
    }

    public event Action<T>? Added;

    /// <summary>(old, new); on resync both are the cached object.</summary>
    public event Action<T, T>? Updated;

    /// <summary>The last known state of the deleted object.</summary>
    public event Action<T>? Deleted;

    /// <summary>A list/watch failure or a handler exception; the informer keeps running.</summary>
    public event Action<Exception>? Error;

    /// <summary>True once the first list has been loaded into the cache.</summary>
    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>How many times the informer has listed (1 after the initial sync).</summary>
    public int ListCount => Volatile.Read(ref listCount);

    /// <summary>The last resourceVersion the informer has seen (list, event or bookmark).</summary>
    public string? LastResourceVersion { get; private set; }

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => synced.Task.WaitAsync(cancellationToken);

    public IReadOnlyList<T> List()
    {
        lock (gate)
        {
            return store.List();
        }
    }

    public T? Get(string name, string? objectNamespace = null)
    {
        lock (gate)
        {
            return store.Get(InformerStore<T>.Key(objectNamespace, name));
        }
    }

    /// <summary>Runs list + watch (and resync) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var resync = options.ResyncPeriod is { } period ? ResyncLoopAsync(period, stop.Token) : Task.CompletedTask;
        try
        {
            var goneInARow = 0;
            var failedLists = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (goneInARow > 1)
                {
                    // Gone again right after a relist: do not hammer the server.
                    await Task.Delay(options.RetryDelay, options.Time, cancellationToken).ConfigureAwait(false);
                }

                if (!await TryListAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(ListRetryDelay(++failedLists), options.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                failedLists = 0;
                goneInARow = await WatchUntilGoneAsync(cancellationToken).ConfigureAwait(false) ? goneInARow + 1 : 0;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await resync.ConfigureAwait(false);
        }
    }

    /// <summary>RetryDelay doubled for each failed list in a row, up to MaxRetryDelay.</summary>
    private TimeSpan ListRetryDelay(int failedInARow)
    {
        var doublings = Math.Min(failedInARow - 1, 30);
        var delay = options.RetryDelay * Math.Pow(2, doublings);
        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }

    private async Task<bool> TryListAsync(CancellationToken cancellationToken)
    {
        KubernetesList<T> list;
        try
        {
            list = await ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Report(e);
            return false;
        }

        Interlocked.Increment(ref listCount);
        lock (gate)
        {
            LastResourceVersion = list.Metadata?.ResourceVersion;
            Dispatch(store.Replace((list.Items ?? []).Select(Keep).ToList()));
        }

        synced.TrySetResult();
        return true;
    }

    /// <summary>
    /// Watches from the last seen version, resuming after a stream end or a failure, until the
    /// server says the version is gone. Returns whether that happened before any event arrived.
    /// </summary>
    private async Task<bool> WatchUntilGoneAsync(CancellationToken cancellationToken)
    {
        var eventsSeen = false;
        while (true)
        {
            // The official watch reports an ERROR event (a Status) to onError and reads on; the
            // API server ends the stream after it, so the loop below ends too.
            var gone = false;
            void OnError(Exception e)
            {
                if (e is KubernetesException { Status.Code: 410 })
                {
                    gone = true;
                }
                else
                {
                    Report(e);
                }
            }

            try
            {
                await foreach (var (eventType, item) in WatchAsync(OnError, cancellationToken).ConfigureAwait(false))
                {
                    Handle(eventType, item);
                    eventsSeen = true;
                }
            }
            catch (HttpOperationException e) when (e.IsGone())
            {
                gone = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Report(e);
                await Task.Delay(options.RetryDelay, options.Time, cancellationToken).ConfigureAwait(false);
            }

            if (gone)
            {
                return !eventsSeen;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<KubernetesList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var headers = MetadataOnly ? PartialMetadata.ListHeaders : null;
        using var response = @namespace is null
            ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(
                type.Group, type.Version, type.Plural, labelSelector: options.LabelSelector, fieldSelector: options.FieldSelector, customHeaders: headers, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(
                type.Group, type.Version, @namespace, type.Plural, labelSelector: options.LabelSelector, fieldSelector: options.FieldSelector, customHeaders: headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    private IAsyncEnumerable<(WatchEventType, T)> WatchAsync(Action<Exception> onError, CancellationToken cancellationToken)
    {
        var headers = MetadataOnly ? PartialMetadata.WatchHeaders : null;
        var response = @namespace is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<T>(
                type.Group, type.Version, type.Plural, allowWatchBookmarks: true, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
                resourceVersion: LastResourceVersion, timeoutSeconds: options.WatchTimeoutSeconds, watch: true, customHeaders: headers, cancellationToken: cancellationToken)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<T>(
                type.Group, type.Version, @namespace, type.Plural, allowWatchBookmarks: true, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
                resourceVersion: LastResourceVersion, timeoutSeconds: options.WatchTimeoutSeconds, watch: true, customHeaders: headers, cancellationToken: cancellationToken);

        // The typed watch over a WithHttpMessages response is marked obsolete in favour of the
        // generated WatchList*Async methods, which exist only as object-typed for custom objects
        // and call this very method themselves (KubernetesClient 21 CustomObjectsOperationsExtensions).
#pragma warning disable CS0618
        return response.WatchAsync<T, T>(onError, cancellationToken);
#pragma warning restore CS0618
    }

    /// <summary>An informer of <see cref="V1PartialObjectMetadata"/> asks the server for metadata only and keeps only identity.</summary>
    private static bool MetadataOnly => typeof(T) == typeof(V1PartialObjectMetadata);

    private T Keep(T item) => MetadataOnly ? (T)(object)PartialMetadata.Identity(item) : trim is null ? item : trim(item);

    private void Handle(WatchEventType eventType, T item)
    {
        item = Keep(item);
        lock (gate)
        {
            if (eventType is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted && store.Apply(eventType, item) is { } stored)
            {
                Dispatch([stored]);
            }

            if (item.ResourceVersion() is { Length: > 0 } version)
            {
                LastResourceVersion = version;
            }
        }
    }

    private async Task ResyncLoopAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (gate)
                {
                    Dispatch(store.List().Select(item => new StoreChange<T>(StoreChangeKind.Updated, item, item)).ToList());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The informer stopped.
        }
    }

    // Called under the gate so handlers never run concurrently or out of order.
    private void Dispatch(IReadOnlyList<StoreChange<T>> changes)
    {
        foreach (var change in changes)
        {
            try
            {
                switch (change.Kind)
                {
                    case StoreChangeKind.Added:
                        Added?.Invoke(change.Current);
                        break;
                    case StoreChangeKind.Updated:
                        Updated?.Invoke(change.Old!, change.Current);
                        break;
                    case StoreChangeKind.Deleted:
                        Deleted?.Invoke(change.Old ?? change.Current);
                        break;
                }
            }
            catch (Exception e)
            {
                Report(e);
            }
        }
    }

    private void Report(Exception e)
    {
        try
        {
            Error?.Invoke(e);
        }
        catch (Exception)
        {
            // An error handler that throws must not stop the informer.
        }
    }
}
