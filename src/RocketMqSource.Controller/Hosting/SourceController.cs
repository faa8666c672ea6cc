using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Queue;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The reconcile loop of one leadership term: informers turn changes of sources, their
/// adapter Deployments and every referenced object (sinks, Secrets) into source keys on the
/// work queue, and workers reconcile them.
/// </summary>
internal sealed partial class SourceController
{
    private readonly IKubernetes client;
    private readonly ControllerOptions options;
    private readonly ControllerMetrics metrics;
    private readonly ILogger logger;
    private readonly RateLimitedWorkQueue queue;
    private readonly ReferenceTracker tracker = new();
    private readonly Reconciler reconciler;
    private readonly EventRecorder? events;
    private readonly Lock gate = new();
    private readonly List<Task> watches = [];
    private readonly AdapterConfig adapterConfig;
    private readonly ControllerLogLevel logLevel;
    private CancellationToken running = new(canceled: true);
    private FeatureFlags features = FeatureFlags.Defaults;
    private AutoscalerConfig autoscalerConfig = AutoscalerConfig.FromData(null);

    public SourceController(IKubernetes client, ControllerOptions options, ControllerMetrics metrics, EventRecorder? events, ILogger logger, ControllerLogLevel logLevel, WorkQueueOptions? queueOptions = null)
    {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        this.events = events;
        this.logLevel = logLevel;
        queue = new RateLimitedWorkQueue(queueOptions);
        var connectivity = new ConnectivityChecker(client, options.RocketMqProbe ?? new RouteQueryProbe(), TimeProvider.System, queue.AddAfter);
        adapterConfig = new AdapterConfig(options.AdapterSettings);
        reconciler = new Reconciler(client, () => adapterConfig.Current, tracker, events, TimeProvider.System, logger, options.SystemNamespace,
            () => Volatile.Read(ref autoscalerConfig), () => Volatile.Read(ref features), connectivity);
        metrics.QueueDepth = () => queue.Depth;
        tracker.NewResource += Watch;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            running = cancellationToken;
        }

        var sources = new Informer<V1Alpha1RocketMQSource>(client, V1Alpha1RocketMQSource.Resource, options: new InformerOptions { ResyncPeriod = options.ResyncPeriod });
        sources.Added += s => queue.Add(Key(s));
        sources.Updated += (_, s) => queue.Add(Key(s));
        sources.Deleted += s => queue.Add(Key(s));
        sources.Error += ReportWatchError;

        var deployments = new Informer<V1Deployment>(client, ResourceType.Deployments, options: new InformerOptions { LabelSelector = AdapterNames.Selector });
        deployments.Added += EnqueueOwner;
        deployments.Updated += (_, d) => EnqueueOwner(d);
        deployments.Deleted += EnqueueOwner;
        deployments.Error += ReportWatchError;

        var knative = new KnativeConfigMaps(client, options.EventingNamespace);
        knative.Watch(FeatureFlags.ConfigMapName);
        knative.Changed += (_, data) => ApplyFeatures(FeatureFlags.Parse(data), sources);
        knative.Error += ReportWatchError;

        var own = new KnativeConfigMaps(client, options.SystemNamespace);
        own.Watch(AdapterConfig.ObservabilityMap);
        own.Watch(AdapterConfig.LoggingMap);
        own.Watch(AutoscalerConfig.ConfigMapName);
        own.Changed += (name, data) => ApplyOwnConfig(name, data, sources);
        own.Error += ReportWatchError;

        Task[] informers = [sources.RunAsync(cancellationToken), deployments.RunAsync(cancellationToken), knative.RunAsync(cancellationToken), own.RunAsync(cancellationToken)];
        // Reconciling before the flags are known would refuse cross-namespace sinks only to accept them a
        // moment later; before the adapter config is known, it would roll every adapter twice; before the
        // autoscaler config is known, it would report autoscaled sources as missing their Prometheus.
        await WaitForSyncAsync([knative, own], cancellationToken).ConfigureAwait(false);
        var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkAsync(cancellationToken)).ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Leadership ended or the process stops.
        }
        finally
        {
            queue.ShutDown();
            Task[] dynamic;
            lock (gate)
            {
                dynamic = [.. watches];
            }

            await Task.WhenAll([.. informers, .. workers, .. dynamic]).ConfigureAwait(false);
            queue.Dispose();
        }
    }

    /// <summary>A change of Knative's feature flags can change every source's outcome: all are reconciled again.</summary>
    private void ApplyFeatures(FeatureFlags changed, Informer<V1Alpha1RocketMQSource> sources)
    {
        var previous = Interlocked.Exchange(ref features, changed);
        if (previous.ToString() == changed.ToString())
        {
            return;
        }

        LogFeatures(changed.ToString());
        EnqueueAll(sources);
    }

    /// <summary>Each map of the controller's namespace, parsed once per change rather than read per reconcile.</summary>
    private void ApplyOwnConfig(string name, IDictionary<string, string>? data, Informer<V1Alpha1RocketMQSource> sources)
    {
        if (name == AutoscalerConfig.ConfigMapName)
        {
            ApplyAutoscalerConfig(data, sources);
            return;
        }

        if (name == AdapterConfig.LoggingMap)
        {
            ApplyLogLevel(data);
        }

        ApplyAdapterConfig(name, data, sources);
    }

    /// <summary>A change of config-rocketmq-autoscaler reaches every autoscaled source's ScaledObject; an invalid one is refused.</summary>
    private void ApplyAutoscalerConfig(IDictionary<string, string>? data, Informer<V1Alpha1RocketMQSource> sources)
    {
        AutoscalerConfig changed;
        try
        {
            changed = AutoscalerConfig.FromData(data);
        }
        catch (ArgumentException e)
        {
            LogAutoscalerConfigRefused(AutoscalerConfig.ConfigMapName, e.Message);
            return;
        }

        if (Interlocked.Exchange(ref autoscalerConfig, changed) == changed)
        {
            return;
        }

        LogAutoscalerConfig(AutoscalerConfig.ConfigMapName);
        foreach (var source in sources.List().Where(AutoscalingAnnotations.RequestsKeda))
        {
            queue.Add(Key(source));
        }
    }

    private void ApplyLogLevel(IDictionary<string, string>? data)
    {
        try
        {
            if (logLevel.Apply(data))
            {
                LogLevelChanged(logLevel.Minimum);
            }
        }
        catch (ArgumentException e)
        {
            LogLevelRefused(e.Message);
        }
    }

    /// <summary>A change of config-observability or config-logging reaches every adapter: all sources are reconciled, their Deployments roll.</summary>
    private void ApplyAdapterConfig(string name, IDictionary<string, string>? data, Informer<V1Alpha1RocketMQSource> sources)
    {
        try
        {
            if (!adapterConfig.Apply(name, data))
            {
                return;
            }
        }
        catch (ArgumentException e)
        {
            LogAdapterConfigRefused(name, e.Message);
            return;
        }

        LogAdapterConfig(name);
        EnqueueAll(sources);
    }

    private void EnqueueAll(Informer<V1Alpha1RocketMQSource> sources)
    {
        foreach (var source in sources.List())
        {
            queue.Add(Key(source));
        }
    }

    private static async Task WaitForSyncAsync(KnativeConfigMaps[] maps, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(maps.Select(m => m.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping before the first list: the workers end at once.
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (await NextAsync(cancellationToken).ConfigureAwait(false) is { } key)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                queue.Forget(key);
                var elapsed = Stopwatch.GetElapsedTime(started);
                LogReconciled(key, elapsed.TotalMilliseconds);
                metrics.RecordReconcile(true, elapsed);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                metrics.RecordReconcile(false, Stopwatch.GetElapsedTime(started));
                LogReconcileFailed(e, key, queue.NumRequeues(key) + 1);
                queue.AddRateLimited(key);
                await RecordFailureAsync(key, e, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    /// <summary>A Warning on the source, so `kubectl describe` shows why it is not progressing (repeats fold into one Event).</summary>
    private async Task RecordFailureAsync(string key, Exception failure, CancellationToken cancellationToken)
    {
        if (events is null)
        {
            return;
        }

        var (ns, name) = Reconciler.SplitKey(key);
        var regarding = new V1ObjectReference { ApiVersion = V1Alpha1RocketMQSource.ApiGroupVersion, Kind = V1Alpha1RocketMQSource.KindName, NamespaceProperty = ns, Name = name };
        var why = failure is HttpOperationException api ? api.Describe() : failure.Message;
        try
        {
            await events.WarningAsync(regarding, Reasons.ReconcileFailed, "Reconcile", $"reconcile failed and will be retried: {why}", cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; the next leader reconciles again.
        }
    }

    private async Task<string?> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await queue.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts watching a resource kind the first time a source references it (sink kinds,
    /// Secrets). Only metadata is kept: a change is all that matters here, the reconcile reads the object.
    /// </summary>
    private void Watch(ResourceType resource)
    {
        lock (gate)
        {
            if (running.IsCancellationRequested)
            {
                return;
            }

            var informer = new Informer<V1PartialObjectMetadata>(client, resource, options: new InformerOptions { RetryDelay = TimeSpan.FromSeconds(5) });
            informer.Added += o => EnqueueReferencing(resource, o);
            informer.Updated += (_, o) => EnqueueReferencing(resource, o);
            informer.Deleted += o => EnqueueReferencing(resource, o);
            informer.Error += ReportWatchError;
            watches.Add(informer.RunAsync(running));
        }
    }

    private void EnqueueReferencing(ResourceType resource, V1PartialObjectMetadata changed)
    {
        var tracked = new TrackedObject(resource, changed.Namespace() ?? string.Empty, changed.Name() ?? string.Empty);
        foreach (var key in tracker.SourcesOf(tracked))
        {
            queue.Add(key);
        }
    }

    private void EnqueueOwner(V1Deployment deployment)
    {
        if (deployment.GetController() is { Kind: V1Alpha1RocketMQSource.KindName } owner
            && (owner.ApiVersion ?? string.Empty).StartsWith(V1Alpha1RocketMQSource.Group + "/", StringComparison.Ordinal))
        {
            queue.Add($"{deployment.Namespace()}/{owner.Name}");
        }
    }

    private void ReportWatchError(Exception e) => LogWatchFailed(e is HttpOperationException api ? api.Describe() : e.Message);

    private static string Key(V1Alpha1RocketMQSource source) => $"{source.Metadata.NamespaceProperty}/{source.Metadata.Name}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconcile of {Key} failed (attempt {Attempt}); retrying with backoff")]
    private partial void LogReconcileFailed(Exception exception, string key, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knative config-features: {Flags}")]
    private partial void LogFeatures(string flags);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Map} changed: every adapter rolls with the new settings")]
    private partial void LogAdapterConfig(string map);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Map} refused, adapters keep the last good settings: {Reason}")]
    private partial void LogAdapterConfigRefused(string map, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "reconciled {Key} in {ElapsedMs:F1} ms")]
    private partial void LogReconciled(string key, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Map} changed: every autoscaled source's ScaledObject follows")]
    private partial void LogAutoscalerConfig(string map);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Map} refused, ScaledObjects keep the last good settings: {Reason}")]
    private partial void LogAutoscalerConfigRefused(string map, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "config-logging: the controller logs at {Level} and above")]
    private partial void LogLevelChanged(LogLevel level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "config-logging refused, the controller keeps its log level: {Reason}")]
    private partial void LogLevelRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "list/watch failed: {Reason}")]
    private partial void LogWatchFailed(string reason);
}
