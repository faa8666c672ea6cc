using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Queue;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The reconcile loop of one leadership term: informers keep the caches a reconcile reads (sources,
/// their adapter Deployments, and every kind a source references, started on first use) and turn
/// each change into source keys on the work queue; the watched ConfigMaps update one configuration
/// snapshot; workers reconcile, once the caches and configuration have synced.
/// </summary>
internal sealed partial class SourceController
{
    private readonly IKubernetes client;
    private readonly ControllerOptions options;
    private readonly ControllerMetrics metrics;
    private readonly ILogger logger;
    private readonly RateLimitedWorkQueue queue = new();
    private readonly ReferenceTracker tracker = new();
    private readonly EventRecorder events;
    private readonly AdapterConfig adapterConfig;
    private readonly ConfigStore config;
    private readonly ControllerLogLevel logLevel;

    public SourceController(IKubernetes client, ControllerOptions options, ControllerMetrics metrics, EventRecorder events, ILogger logger, ControllerLogLevel logLevel)
    {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        this.events = events;
        this.logLevel = logLevel;
        adapterConfig = new AdapterConfig(options.AdapterSettings);
        config = new ConfigStore(new ConfigSnapshot(adapterConfig.Current, FeatureFlags.Defaults, AutoscalerConfig.FromData(null)));
        metrics.QueueDepth = () => queue.Depth;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sources = new Informer<V1Alpha1RocketMQSource>(client, V1Alpha1RocketMQSource.Resource, options: new InformerOptions { ResyncPeriod = options.ResyncPeriod });
        sources.Added += s => queue.Add(s.Key());
        sources.Updated += (_, s) => queue.Add(s.Key());
        sources.Deleted += s => queue.Add(s.Key());
        sources.Error += ReportWatchError;

        // Only what a reconcile reads is kept (CachedDeployment): no managedFields, the pod template as JSON.
        var deployments = new Informer<CachedDeployment>(client, ResourceType.Deployments, options: new InformerOptions { LabelSelector = AdapterNames.Selector }, trim: CachedDeployment.Trim);
        deployments.Added += EnqueueOwner;
        deployments.Updated += (_, d) => EnqueueOwner(d);
        deployments.Deleted += EnqueueOwner;
        deployments.Error += ReportWatchError;

        var onDemand = new InformerFactory(client, cancellationToken);
        onDemand.Changed += EnqueueReferencing;
        onDemand.Error += ReportWatchError;

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

        var connectivity = new ConnectivityChecker(client, new RouteQueryProbe(), TimeProvider.System, queue.AddAfter);
        var reconciler = new Reconciler(client, new Caches(sources, deployments, onDemand), config, tracker, connectivity, events, TimeProvider.System, logger, options.SystemNamespace);

        Task[] informers = [sources.RunAsync(cancellationToken), deployments.RunAsync(cancellationToken), knative.RunAsync(cancellationToken), own.RunAsync(cancellationToken)];
        // A reconcile reads the caches, so it waits for their first list; and for the configuration:
        // before the flags are known it would refuse cross-namespace sinks only to accept them a
        // moment later, before the adapter config it would roll every adapter twice, before the
        // autoscaler config it would report autoscaled sources as missing their Prometheus.
        var synced = await WaitForSyncAsync([sources.WaitForSyncAsync, deployments.WaitForSyncAsync, knative.WaitForSyncAsync, own.WaitForSyncAsync], cancellationToken).ConfigureAwait(false);
        var workers = synced ? Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkAsync(reconciler, cancellationToken)).ToArray() : [];
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
            await Task.WhenAll([.. informers, .. workers, onDemand.StoppedAsync()]).ConfigureAwait(false);
            queue.Dispose();
        }
    }

    /// <summary>A change of Knative's feature flags can change every source's outcome: all are reconciled again.</summary>
    private void ApplyFeatures(FeatureFlags changed, Informer<V1Alpha1RocketMQSource> sources)
    {
        var previous = config.Update(c => c with { Features = changed }).Features;
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

        if (config.Update(c => c with { Autoscaler = changed }).Autoscaler == changed)
        {
            return;
        }

        LogAutoscalerConfig(AutoscalerConfig.ConfigMapName);
        foreach (var source in sources.List().Where(AutoscalingAnnotations.RequestsKeda))
        {
            queue.Add(source.Key());
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

            config.Update(c => c with { Adapter = adapterConfig.Current });
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
            queue.Add(source.Key());
        }
    }

    /// <summary>True once every cache has listed; false when stopped first (no worker starts then).</summary>
    private static async Task<bool> WaitForSyncAsync(Func<CancellationToken, Task>[] caches, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(caches.Select(wait => wait(cancellationToken))).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WorkAsync(Reconciler reconciler, CancellationToken cancellationToken)
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

    /// <summary>A referenced object (sink, Secret, ScaledObject) changed: reconcile the sources that reference it.</summary>
    private void EnqueueReferencing(ResourceType resource, IKubernetesObject<V1ObjectMeta> changed)
    {
        foreach (var key in tracker.SourcesOf(new TrackedObject(resource, changed.Namespace() ?? string.Empty, changed.Name() ?? string.Empty)))
        {
            queue.Add(key);
        }
    }

    private void EnqueueOwner(CachedDeployment deployment)
    {
        if (deployment.GetController() is { Kind: V1Alpha1RocketMQSource.KindName } owner
            && (owner.ApiVersion ?? string.Empty).StartsWith(V1Alpha1RocketMQSource.Group + "/", StringComparison.Ordinal))
        {
            queue.Add($"{deployment.Namespace()}/{owner.Name}");
        }
    }

    private void ReportWatchError(Exception e) => LogWatchFailed(e is HttpOperationException api ? api.Describe() : e.Message);

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
