using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>
/// Keeps a source's KEDA ScaledObject in line with its annotations: created and updated while the
/// source opts in, deleted (only if ours) once it opts out. Returns the AutoscalerReady condition,
/// or null for a source that does not ask for autoscaling.
/// </summary>
/// <param name="config">config-rocketmq-autoscaler as last watched (the controller re-enqueues autoscaled sources when it changes).</param>
internal sealed class AutoscalerReconciler(IKubernetes client, string systemNamespace, Func<AutoscalerConfig> config)
{
    private static readonly ResourceType ScaledObjects = ScaledObjectBuilder.Resource;

    public async Task<ConditionState?> ReconcileAsync(V1Alpha1RocketMQSource source, CancellationToken cancellationToken)
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
            return Informational(AutoscalerCondition.Invalid(problem!));
        }

        var settings = config();
        if (settings.ServerAddress is not { } serverAddress)
        {
            return Informational(AutoscalerCondition.Invalid(
                $"ConfigMap {systemNamespace}/{AutoscalerConfig.ConfigMapName} has no {AutoscalerConfig.ServerAddressKey}: the Prometheus that scrapes the RocketMQ broker"));
        }

        var desired = ScaledObjectBuilder.Build(source, request, settings, serverAddress);
        return Informational(await KubernetesRetry.OnConflictAsync(
            async token =>
            {
                var (observed, served) = await TryGetAsync(ns, name, token).ConfigureAwait(false);
                if (!served)
                {
                    return AutoscalerCondition.NotInstalled();
                }

                if (observed is null)
                {
                    var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
                        desired, ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, cancellationToken: token).ConfigureAwait(false);
                    return AutoscalerCondition.FromScaledObject(created);
                }

                if (!ScaledObjectBuilder.IsControlledBy(observed, source.Metadata.Uid))
                {
                    return AutoscalerCondition.NotOwned(ns, name);
                }

                if (!ScaledObjectBuilder.Matches(desired, observed))
                {
                    observed = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(
                        ScaledObjectBuilder.Merge(desired, observed), ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, name, cancellationToken: token).ConfigureAwait(false);
                }

                return AutoscalerCondition.FromScaledObject(observed);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The ScaledObject is tracked (watched) only while the source opts in.</summary>
    public static TrackedObject? Tracked(V1Alpha1RocketMQSource source) =>
        AutoscalingAnnotations.RequestsKeda(source)
            ? new TrackedObject(ScaledObjects, source.Metadata.NamespaceProperty, ScaledObjectBuilder.Name(source))
            : null;

    /// <summary>KafkaSource leaves its ScaledObject behind when the annotation goes (eventing-kafka-broker #3669); we delete ours.</summary>
    private async Task DeleteIfOursAsync(V1Alpha1RocketMQSource source, string ns, string name, CancellationToken cancellationToken)
    {
        // Only a source that may have opted in before has anything to clean up: its status still carries the condition.
        if (source.Status?.Conditions?.Any(c => c.Type == AutoscalerCondition.Type) != true)
        {
            return;
        }

        var (observed, _) = await TryGetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (observed is null || !ScaledObjectBuilder.IsControlledBy(observed, source.Metadata.Uid))
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

    /// <summary>
    /// The ScaledObject, or null; served is false when the API server does not know the resource.
    /// An absent object's 404 names it in status details; a resource nobody serves gets the API
    /// server's catch-all 404 without details (kubernetes/kubernetes
    /// staging/src/k8s.io/apiserver/pkg/util/notfoundhandler/not_found_handler.go).
    /// </summary>
    private async Task<(JsonObject? Observed, bool Served)> TryGetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var observed = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(
                ScaledObjects.Group, ScaledObjects.Version, ns, ScaledObjects.Plural, name, cancellationToken).ConfigureAwait(false);
            return (observed, true);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return (null, e.Status()?.Details?.Name == name);
        }
    }

    /// <summary>Knative gives conditions Ready does not depend on severity Info (knative/pkg apis/condition_set.go).</summary>
    private static ConditionState Informational(ConditionState state) => state with { Severity = ConditionSeverity.Info };
}
