using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Sinks;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// One reconcile of one source: read (source, sink, dead-letter sink, Secrets, Deployment),
/// decide (<see cref="ReconcilePlanner"/>, <see cref="StatusCalculator"/>), write with
/// conflict retry, keep an autoscaled source's ScaledObject in line, record Events. No finalizer: the owner reference cascades deletion.
/// </summary>
/// <param name="settings">The adapter settings as last read (config-observability, config-logging).</param>
/// <param name="features">Knative's config-features as last read (cross-namespace refs, OIDC identities).</param>
/// <param name="autoscaling">config-rocketmq-autoscaler as last read (Prometheus address, backlog query).</param>
internal sealed partial class Reconciler(
    IKubernetes client,
    Func<AdapterSettings> settings,
    ReferenceTracker tracker,
    EventRecorder? events,
    TimeProvider time,
    ILogger logger,
    string systemNamespace,
    Func<AutoscalerConfig> autoscaling,
    Func<FeatureFlags>? features = null,
    ConnectivityChecker? connectivity = null)
{
    private readonly SinkResolver sinks = new(client);
    private readonly SecretChecker secrets = new(client);
    private readonly OidcIdentityWriter identities = new(client);
    private readonly AutoscalerReconciler autoscaler = new(client, systemNamespace, autoscaling);

    public async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        V1Alpha1RocketMQSource source;
        try
        {
            source = await GetSourceAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // Deleted: the garbage collector removes the Deployment through its owner reference.
            tracker.Forget(key);
            connectivity?.Forget(key);
            return;
        }

        if (source.Metadata.DeletionTimestamp is not null)
        {
            tracker.Forget(key);
            connectivity?.Forget(key);
            return;
        }

        var spec = source.Spec;
        var flags = features?.Invoke() ?? FeatureFlags.Defaults;
        var sink = await ResolveAsync(spec?.Sink, "spec.sink", ns, flags, cancellationToken).ConfigureAwait(false);
        var deadLetter = spec?.Delivery?.DeadLetterSink is { } dls
            ? await ResolveAsync(dls, "spec.delivery.deadLetterSink", ns, flags, cancellationToken).ConfigureAwait(false)
            : null;
        var (oidc, identity) = await identities.EnsureAsync(source, flags.IsOIDCAuthentication, cancellationToken).ConfigureAwait(false);

        var secretReferences = SecretReferences.Of(spec);
        tracker.Track(key, TrackedObjects(source, ns, secretReferences));
        var secretCheck = await secrets.CheckAsync(ns, secretReferences, cancellationToken).ConfigureAwait(false);
        var rocketMq = connectivity is null ? null
            : secretCheck.Problem is null ? await connectivity.CheckAsync(key, source, secretCheck.Versions, cancellationToken).ConfigureAwait(false)
            : ProbeVerdict.NotChecked("waiting for the credentials Secret: " + secretCheck.Message);

        // Read before the status write, which updates the source object in place.
        var readyBefore = source.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var (plan, deployment) = await ApplyDeploymentAsync(source, sink, deadLetter, secretCheck, identity, oidc.Failure, cancellationToken).ConfigureAwait(false);
        var autoscaling = await autoscaler.ReconcileAsync(source, cancellationToken).ConfigureAwait(false);
        var status = await WriteStatusAsync(source, sink, deadLetter, plan, deployment, oidc, rocketMq, autoscaling, cancellationToken).ConfigureAwait(false);
        await RecordEventsAsync(source, readyBefore, plan, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates, applies the tenancy rule, then resolves a destination.</summary>
    private async Task<SinkOutcome> ResolveAsync(Destination? destination, string field, string ns, FeatureFlags flags, CancellationToken cancellationToken)
    {
        if (SpecValidator.ValidateDestination(destination, field) is { } problem)
        {
            return SinkOutcome.Failure(Reasons.InvalidSpec, problem);
        }

        return CrossNamespaceRule.Check(destination!, ns, flags)
            ?? await sinks.ResolveAsync(destination!, ns, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(DeploymentPlan Plan, V1Deployment? Deployment)> ApplyDeploymentAsync(
        V1Alpha1RocketMQSource source, SinkOutcome sink, SinkOutcome? deadLetter, SecretCheck secretCheck, AdapterIdentity? identity, string? identityProblem, CancellationToken cancellationToken)
    {
        var name = AdapterNames.DeploymentName(source);
        var ns = source.Metadata.NamespaceProperty;
        return await KubernetesRetry.OnConflictAsync(
            async token =>
            {
                var observed = await TryGetDeploymentAsync(name, ns, token).ConfigureAwait(false);
                var plan = ReconcilePlanner.Plan(new ReconcileInputs(source, sink, deadLetter, secretCheck, observed, settings(), identity, identityProblem));
                var written = plan.Action switch
                {
                    DeploymentAction.Create => await client.AppsV1.CreateNamespacedDeploymentAsync(plan.Write!, ns, cancellationToken: token).ConfigureAwait(false),
                    DeploymentAction.Update => await client.AppsV1.ReplaceNamespacedDeploymentAsync(plan.Write!, name, ns, cancellationToken: token).ConfigureAwait(false),
                    _ => observed,
                };
                if (plan.Action != DeploymentAction.None)
                {
                    LogDeploymentWritten(plan.Action, ns, name);
                }

                return (plan, written);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<RocketMQSourceStatus> WriteStatusAsync(
        V1Alpha1RocketMQSource source, SinkOutcome sink, SinkOutcome? deadLetter, DeploymentPlan plan, V1Deployment? deployment, OidcOutcome oidc, ConditionState? rocketMq, ConditionState? autoscaling, CancellationToken cancellationToken)
    {
        var computed = StatusCalculator.Compute(source, sink, deadLetter, plan, deployment, time.GetUtcNow(), oidc, rocketMq, autoscaling);
        var first = true;
        await KubernetesRetry.OnConflictAsync(
            async token =>
            {
                var current = first ? source : await GetSourceAsync(source.Metadata.NamespaceProperty, source.Metadata.Name, token).ConfigureAwait(false);
                first = false;
                if (current.Metadata.Generation != source.Metadata.Generation)
                {
                    // The spec changed meanwhile; the watch has queued another reconcile.
                    return;
                }

                var status = StatusCalculator.Compute(current, sink, deadLetter, plan, deployment, time.GetUtcNow(), oidc, rocketMq, autoscaling);
                if (SameStatus(status, current.Status))
                {
                    return;
                }

                current.Status = status;
                var resource = V1Alpha1RocketMQSource.Resource;
                await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<V1Alpha1RocketMQSource>(
                    current, resource.Group, resource.Version, current.Metadata.NamespaceProperty, resource.Plural, current.Metadata.Name, cancellationToken: token).ConfigureAwait(false);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return computed;
    }

    private async Task RecordEventsAsync(V1Alpha1RocketMQSource source, Condition? before, DeploymentPlan plan, RocketMQSourceStatus status, CancellationToken cancellationToken)
    {
        if (events is null)
        {
            return;
        }

        var regarding = EventRecorder.ReferenceTo(source);
        var deploymentName = AdapterNames.DeploymentName(source);
        if (plan.Action == DeploymentAction.Create)
        {
            await events.NormalAsync(regarding, Reasons.DeploymentCreated, "Create", $"created adapter Deployment {deploymentName}", cancellationToken).ConfigureAwait(false);
        }
        else if (plan.Action == DeploymentAction.Update)
        {
            await events.NormalAsync(regarding, Reasons.DeploymentUpdated, "Update", $"updated adapter Deployment {deploymentName}", cancellationToken).ConfigureAwait(false);
        }

        var after = status.Conditions!.First(c => c.Type == ConditionTypes.Ready);
        if (after.Status == ConditionStatus.False && (before?.Status != after.Status || before.Reason != after.Reason || before.Message != after.Message))
        {
            await events.WarningAsync(regarding, after.Reason!, "Reconcile", after.Message!, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<TrackedObject> TrackedObjects(V1Alpha1RocketMQSource source, string ns, IReadOnlyList<SecretReference> secretReferences)
    {
        foreach (var destination in new[] { source.Spec?.Sink, source.Spec?.Delivery?.DeadLetterSink })
        {
            if (destination?.Ref is { Name: { Length: > 0 } refName } reference && !string.IsNullOrEmpty(reference.Kind) && !string.IsNullOrEmpty(reference.ApiVersion))
            {
                yield return new TrackedObject(AddressableKinds.ResourceOf(reference), string.IsNullOrEmpty(reference.Namespace) ? ns : reference.Namespace, refName);
            }
        }

        foreach (var secret in secretReferences)
        {
            yield return new TrackedObject(ResourceType.Secrets, ns, secret.Name);
        }

        if (AutoscalerReconciler.Tracked(source) is { } scaledObject)
        {
            yield return scaledObject;
        }
    }

    private Task<V1Alpha1RocketMQSource> GetSourceAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var resource = V1Alpha1RocketMQSource.Resource;
        return client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1RocketMQSource>(resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken);
    }

    private async Task<V1Deployment?> TryGetDeploymentAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    private static bool SameStatus(RocketMQSourceStatus computed, RocketMQSourceStatus? current) =>
        current is not null && JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(computed)), JsonNode.Parse(KubernetesJson.Serialize(current)));

    internal static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, key) : (key[..slash], key[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} adapter Deployment {Namespace}/{Name}")]
    private partial void LogDeploymentWritten(DeploymentAction action, string @namespace, string name);
}
