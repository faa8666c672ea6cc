using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// Keeps a local cache of one resource type by list + watch and calls handlers for every
/// change. Like client-go: a finished or failed watch resumes from the last seen
/// resourceVersion (bookmarks keep it fresh); 410 Gone relists, and the relist is diffed
/// against the cache so handlers see only real changes (deletions included).
/// Handlers run one at a time on the informer's loop.
/// </summary>
public sealed class Informer<T>
    where T : class
{
    private readonly IKubernetes client;
    private readonly ResourceType type;
    private readonly string? @namespace;
    private readonly InformerOptions options;
    private readonly InformerStore<T> store = new();
    private readonly Lock gate = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int listCount;

    public Informer(IKubernetes client, ResourceType type, string? @namespace = null, InformerOptions? options = null)
    {
        this.client = client;
        this.type = type;
        this.@namespace = @namespace;
        this.options = options ?? new InformerOptions();
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
            return store.Get(string.IsNullOrEmpty(objectNamespace) ? name : $"{objectNamespace}/{name}");
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
            while (!cancellationToken.IsCancellationRequested)
            {
                if (goneInARow > 1)
                {
                    // Gone again right after a relist: do not hammer the server.
                    await Task.Delay(options.RetryDelay, cancellationToken).ConfigureAwait(false);
                }

                if (!await TryListAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(options.RetryDelay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

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

    private async Task<bool> TryListAsync(CancellationToken cancellationToken)
    {
        KubernetesList<T> list;
        try
        {
            list = await client.ListAsync<T>(
                type, @namespace, new ListOptions { LabelSelector = options.LabelSelector, FieldSelector = options.FieldSelector }, cancellationToken).ConfigureAwait(false);
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
            Dispatch(store.Replace(list.Items));
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
            var watchOptions = new WatchOptions
            {
                LabelSelector = options.LabelSelector,
                FieldSelector = options.FieldSelector,
                ResourceVersion = LastResourceVersion,
                AllowWatchBookmarks = true,
                TimeoutSeconds = options.WatchTimeoutSeconds,
            };

            try
            {
                await foreach (var change in client.WatchAsync<T>(type, @namespace, watchOptions, cancellationToken).ConfigureAwait(false))
                {
                    Handle(change);
                    eventsSeen = true;
                }
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                return !eventsSeen;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Report(e);
                await Task.Delay(options.RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Handle(WatchEvent<T> change)
    {
        if (change.Type == WatchEventType.Error)
        {
            var code = change.Status?.Code ?? 500;
            throw new KubernetesApiException((System.Net.HttpStatusCode)code, change.Status);
        }

        lock (gate)
        {
            if (change.Type != WatchEventType.Bookmark && change.Object is { } item && store.Apply(change.Type, item) is { } stored)
            {
                Dispatch([stored]);
            }

            if (change.ResourceVersion is { Length: > 0 } version)
            {
                LastResourceVersion = version;
            }
        }
    }

    private async Task ResyncLoopAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
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
