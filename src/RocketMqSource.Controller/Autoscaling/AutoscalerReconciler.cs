using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>
/// Keeps a source's KEDA ScaledObject in line with its annotations, reading ScaledObjects from the
/// cache: created and updated while the source opts in, deleted (only if ours) once it opts out.
/// Returns how it went, or null for a source that does not ask for autoscaling.
/// </summary>
internal sealed class AutoscalerReconciler(IKubernetes client, InformerFactory informers, string systemNamespace)
{
    private static readonly ResourceType ScaledObjects = ScaledObject.Resource;

    public async Task<AutoscalerOutcome?> ReconcileAsync(V1Alpha1RocketMQSource source, AutoscalerConfig config, CancellationToken cancellationToken)
    {
        var ns = source.Metadata.NamespaceProperty;
        var name = ScaledObjectBuilder.Name(source);
        if (!AutoscalingAnnotations.RequestsKeda(source))
        {
            await DeleteIfOursAsync(source, ns, name, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var (request, problem) = AutoscalingAnnotations.Read(source.Metadata.Annotations);
        if (request is null)
        {
            return new AutoscalerBlocked(AutoscalerProblem.InvalidAnnotations, problem!);
        }

        if (config.ServerAddress is not { } serverAddress)
        {
            return new AutoscalerBlocked(AutoscalerProblem.NoPrometheus, $"{systemNamespace}/{AutoscalerConfig.ConfigMapName}");
        }

        if (await CacheAsync(cancellationToken).ConfigureAwait(false) is not { } cache)
        {
            return new AutoscalerBlocked(AutoscalerProblem.KedaNotInstalled);
        }

        var desired = ScaledObjectBuilder.Build(source, request, config, serverAddress);
        if (cache.Get(name, ns) is not { } observed)
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
                desired, ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ScaledObjectObserved(name, null, null);
        }

        if (!observed.IsControlledBy(source.Metadata.Uid))
        {
            return new AutoscalerBlocked(AutoscalerProblem.NotOwned, $"{ns}/{name}");
        }

        if (!ScaledObjectBuilder.Matches(desired, observed))
        {
            // The cache keeps a trimmed copy: the update starts from the whole stored object.
            await KubernetesRetry.OnConflictAsync(
                async token =>
                {
                    var stored = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(
                        ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, name, token).ConfigureAwait(false);
                    await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(
                        ScaledObjectBuilder.Merge(desired, stored), ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, name, cancellationToken: token).ConfigureAwait(false);
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var (readyStatus, readyMessage) = observed.Ready;
        return new ScaledObjectObserved(name, readyStatus, readyMessage);
    }

    /// <summary>The ScaledObject is tracked (its changes reconcile the source) only while the source opts in.</summary>
    public static TrackedObject? Tracked(V1Alpha1RocketMQSource source) =>
        AutoscalingAnnotations.RequestsKeda(source)
            ? new TrackedObject(ScaledObjects, source.Metadata.NamespaceProperty, ScaledObjectBuilder.Name(source))
            : null;

    /// <summary>
    /// The ScaledObject cache, or null when the API server does not serve the kind: listing it gets
    /// the catch-all 404 (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/util/notfoundhandler/not_found_handler.go).
    /// </summary>
    private async Task<Informer<ScaledObject>?> CacheAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await informers.GetAsync<ScaledObject>(ScaledObjects, ScaledObject.Trim, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>KafkaSource leaves its ScaledObject behind when the annotation goes (eventing-kafka-broker #3669); we delete ours.</summary>
    private async Task DeleteIfOursAsync(V1Alpha1RocketMQSource source, string ns, string name, CancellationToken cancellationToken)
    {
        // Only a source that may have opted in before has anything to clean up: its status still carries the condition.
        if (source.Status?.Condition(ConditionTypes.AutoscalerReady) is null
            || await CacheAsync(cancellationToken).ConfigureAwait(false) is not { } cache
            || cache.Get(name, ns) is not { } observed
            || !observed.IsControlledBy(source.Metadata.Uid))
        {
            return;
        }

        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // Already gone.
        }
    }
}
