using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Sinks;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>The caches a reconcile reads: sources and adapter Deployments (synced before the first reconcile), and the kinds started on first use.</summary>
internal sealed record Caches(Informer<V1Alpha1RocketMQSource> Sources, Informer<CachedDeployment> Deployments, InformerFactory OnDemand);

/// <summary>
/// One reconcile of one source, as a Knative reconciler reads: take one configuration snapshot;
/// read the source, its sinks, Secrets' metadata, its Deployment and ScaledObject from the caches
/// (a steady-state reconcile sends no request); decide (<see cref="ReconcilePlanner"/>); write
/// what differs, re-reading from the API server only when a write finds the cache behind; mark
/// the status (<see cref="RocketMQSourceStatus"/>'s Mark* methods decide every reason); record
/// Events. No finalizer: the owner reference cascades deletion.
/// </summary>
internal sealed partial class Reconciler(
    IKubernetes client,
    Caches caches,
    ConfigStore config,
    ReferenceTracker tracker,
    ConnectivityChecker connectivity,
    EventRecorder events,
    TimeProvider time,
    ILogger logger,
    string systemNamespace)
{
    private readonly SinkResolver sinks = new(caches.OnDemand);
    private readonly OidcIdentityWriter identities = new(client);
    private readonly AutoscalerReconciler autoscaler = new(client, caches.OnDemand, systemNamespace);

    public async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        if (caches.Sources.Get(name, ns) is not { } source || source.Metadata.DeletionTimestamp is not null)
        {
            // Deleted: the garbage collector removes what the source owns through owner references.
            tracker.Forget(key);
            connectivity.Forget(key);
            return;
        }

        var snapshot = config.Snapshot();
        // The CRD requires spec's fields, not spec itself: a source without one reads as InvalidSpec.
        var spec = source.Spec;
        var sink = await ResolveAsync(spec?.Sink, "spec.sink", ns, snapshot.Features, cancellationToken).ConfigureAwait(false);
        var deadLetter = spec?.Delivery?.DeadLetterSink is { } dls
            ? await ResolveAsync(dls, "spec.delivery.deadLetterSink", ns, snapshot.Features, cancellationToken).ConfigureAwait(false)
            : null;
        var (oidc, identity) = await identities.EnsureAsync(source, snapshot.Features.IsOIDCAuthentication, cancellationToken).ConfigureAwait(false);

        var secretReferences = SecretReferences.Of(spec);
        tracker.Track(key, TrackedObjects(source, ns, secretReferences));
        var (secrets, rocketMq) = await CheckRocketMqAsync(key, source, secretReferences, cancellationToken).ConfigureAwait(false);

        var inputs = new ReconcileInputs(source, sink, deadLetter, secrets, null, snapshot.Adapter, identity, oidc.Failure is not null);
        var (plan, deployment) = await ApplyDeploymentAsync(inputs, cancellationToken).ConfigureAwait(false);
        var autoscaling = await autoscaler.ReconcileAsync(source, snapshot.Autoscaler, cancellationToken).ConfigureAwait(false);
        var findings = new Findings(sink, deadLetter, rocketMq, plan, deployment, oidc, autoscaling);
        var status = await WriteStatusAsync(source, findings, cancellationToken).ConfigureAwait(false);
        await RecordEventsAsync(source, plan, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status this reconcile's findings make, against the source's previous one.</summary>
    private RocketMQSourceStatus DesiredStatus(V1Alpha1RocketMQSource source, Findings findings)
    {
        var status = new RocketMQSourceStatus { ObservedGeneration = source.Metadata.Generation, CeAttributes = CeAttributes(source), Annotations = source.Status?.Annotations };
        if (findings.Sink.Address is { } address)
        {
            status.MarkSink(address);
        }
        else
        {
            status.MarkNoSink(findings.Sink.Failure!);
        }

        if (findings.DeadLetterSink?.Address is { } deadLetterAddress)
        {
            status.MarkDeadLetterSink(deadLetterAddress);
        }
        else if (findings.Sink.Resolved && findings.DeadLetterSink?.Failure is { } deadLetterFailure)
        {
            status.MarkNoDeadLetterSink(deadLetterFailure);
        }

        status.PropagateRocketMq(findings.RocketMq);

        // Waiting for a sink or an identity does not hide how an existing adapter is doing.
        var owned = findings.Deployment is { } deployment && DeploymentComparison.IsControlledBy(deployment, source.Metadata.Uid) ? deployment : null;
        var waiting = findings.Plan.Blocked?.Blocker is DeploymentBlocker.WaitingForSink or DeploymentBlocker.WaitingForDeadLetterSink or DeploymentBlocker.WaitingForIdentity;
        if (findings.Plan.Blocked is { } blocked && (!waiting || owned is null))
        {
            status.MarkDeploymentBlocked(blocked, $"{source.Metadata.NamespaceProperty}/{AdapterNames.DeploymentName(source)}");
        }
        else if (owned is not null)
        {
            status.PropagateDeploymentAvailability(owned);
        }
        else
        {
            status.MarkDeploymentProgressing();
        }

        if (owned is not null)
        {
            status.PropagateReplicas(owned);
        }

        status.PropagateOidc(findings.Oidc);
        if (findings.Autoscaler is { } autoscaling)
        {
            status.PropagateAutoscaler(autoscaling);
        }

        status.Summarize(source.Status?.Conditions, time.GetUtcNow());
        return status;
    }

    /// <summary>The one event source the adapter emits, built by the type the adapter builds it with (EventSourceUri, in the contract).</summary>
    internal static IList<CloudEventAttributes>? CeAttributes(V1Alpha1RocketMQSource source) =>
        string.IsNullOrEmpty(source.Spec?.Topic)
            ? null
            : [new CloudEventAttributes
            {
                Type = V1Alpha1RocketMQSource.EventType,
                Source = new EventSourceUri(source.Metadata.NamespaceProperty, source.Metadata.Name, source.Spec.ConsumerGroup ?? string.Empty).Text(source.Spec.Topic),
            }];

    /// <summary>Validates, then resolves a destination from the caches.</summary>
    private async Task<SinkResolution> ResolveAsync(Destination? destination, string field, string ns, FeatureFlags features, CancellationToken cancellationToken) =>
        SpecValidator.ValidateDestination(destination, field) is { } problem
            ? SinkResolution.Fail(SinkProblem.InvalidSpec, problem)
            : await sinks.ResolveAsync(destination!, ns, features, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The referenced Secrets from the metadata cache (present, and their versions), then the
    /// connectivity check, which reads their values only when it must probe again.
    /// </summary>
    private async Task<(SecretCheck Secrets, RocketMqCheck RocketMq)> CheckRocketMqAsync(string key, V1Alpha1RocketMQSource source, IReadOnlyList<SecretReference> references, CancellationToken cancellationToken)
    {
        var ns = source.Metadata.NamespaceProperty;
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (references.Count > 0)
        {
            var cache = await caches.OnDemand.GetAsync<V1PartialObjectMetadata>(ResourceType.Secrets, null, cancellationToken).ConfigureAwait(false);
            foreach (var reference in references)
            {
                if (cache.Get(reference.Name, ns) is not { } secret)
                {
                    var missing = new SecretCheck(SecretProblem.NotFound, ns, reference, null);
                    return (missing, new RocketMqNotChecked(missing));
                }

                versions[reference.Name] = secret.Metadata.ResourceVersion ?? string.Empty;
            }
        }

        var found = SecretCheck.Found(ns, versions.Count == 0 ? null : string.Join(',', versions.Select(v => $"{v.Key}={v.Value}")));
        return await connectivity.CheckAsync(key, source, found, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Plans from the cached Deployment and writes. An update reads the stored Deployment and
    /// writes the desired fields onto it, again on a conflict (client-go's RetryOnConflict); a
    /// create that finds a Deployment of that name the cache does not hold (not ours: ours carry the
    /// label the cache selects) plans again from the stored one.
    /// </summary>
    private async Task<(DeploymentPlan Plan, V1Deployment? Deployment)> ApplyDeploymentAsync(ReconcileInputs inputs, CancellationToken cancellationToken)
    {
        var name = AdapterNames.DeploymentName(inputs.Source);
        var ns = inputs.Source.Metadata.NamespaceProperty;
        var observed = caches.Deployments.Get(name, ns);
        for (var attempt = 1; ; attempt++)
        {
            var plan = ReconcilePlanner.Plan(inputs with { Observed = observed });
            try
            {
                var written = plan.Action switch
                {
                    DeploymentAction.Create => await client.AppsV1.CreateNamespacedDeploymentAsync(plan.Write!, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                    DeploymentAction.Update => await KubernetesRetry.OnConflictAsync(
                        async token =>
                        {
                            var stored = await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: token).ConfigureAwait(false);
                            return await client.AppsV1.ReplaceNamespacedDeploymentAsync(DeploymentComparison.Merge(plan.Write!, stored), name, ns, cancellationToken: token).ConfigureAwait(false);
                        },
                        cancellationToken: cancellationToken).ConfigureAwait(false),
                    _ => observed?.ToDeployment(),
                };
                if (plan.Action != DeploymentAction.None)
                {
                    LogDeploymentWritten(plan.Action, ns, name);
                }

                return (plan, written);
            }
            catch (HttpOperationException e) when (e.IsAlreadyExists() && attempt == 1)
            {
                observed = await TryGetDeploymentAsync(name, ns, cancellationToken).ConfigureAwait(false) is { } stored ? CachedDeployment.From(stored) : null;
            }
        }
    }

    /// <summary>Writes the status when it differs; on a conflict re-reads the source from the API server and marks again.</summary>
    private async Task<RocketMQSourceStatus> WriteStatusAsync(V1Alpha1RocketMQSource source, Findings findings, CancellationToken cancellationToken)
    {
        var current = source;
        for (var attempt = 1; ; attempt++)
        {
            var status = DesiredStatus(current, findings);
            if (SameStatus(status, current.Status))
            {
                return status;
            }

            // A copy that shares the cached metadata and spec: the cache's object is never changed.
            var update = new V1Alpha1RocketMQSource { Metadata = current.Metadata, Spec = current.Spec, Status = status };
            var resource = V1Alpha1RocketMQSource.Resource;
            try
            {
                await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<V1Alpha1RocketMQSource>(
                    update, resource.Group, resource.Version, current.Metadata.NamespaceProperty, resource.Plural, current.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return status;
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt < 5)
            {
                current = await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1RocketMQSource>(
                    resource.Group, resource.Version, current.Metadata.NamespaceProperty, resource.Plural, current.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (current.Metadata.Generation != source.Metadata.Generation)
                {
                    // The spec changed meanwhile; the watch has queued another reconcile.
                    return status;
                }
            }
        }
    }

    private async Task RecordEventsAsync(V1Alpha1RocketMQSource source, DeploymentPlan plan, RocketMQSourceStatus status, CancellationToken cancellationToken)
    {
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

        var before = source.Status?.Condition(ConditionTypes.Ready);
        var after = status.Condition(ConditionTypes.Ready)!;
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
                var resource = AddressableKinds.IsCoreService(reference) ? CoreService.Resource : AddressableKinds.ResourceOf(reference);
                yield return new TrackedObject(resource, string.IsNullOrEmpty(reference.Namespace) ? ns : reference.Namespace, refName);
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

/// <summary>What one reconcile found and did, for the status.</summary>
internal sealed record Findings(
    SinkResolution Sink,
    SinkResolution? DeadLetterSink,
    RocketMqCheck RocketMq,
    DeploymentPlan Plan,
    V1Deployment? Deployment,
    OidcOutcome Oidc,
    AutoscalerOutcome? Autoscaler);
