using System.Globalization;
using k8s.Models;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.Api;

/// <summary>
/// The status's lifecycle, as knative/eventing pkg/apis/sources/v1/apiserver_lifecycle.go: each
/// Mark*/Propagate* method takes what the reconcile found (typed, see Outcomes.cs) and is the one
/// place that decides the condition's status, reason and message. <see cref="Summarize"/> then
/// derives Ready from the conditions it depends on (knative/pkg apis/condition_set.go: a False
/// dependent explains it before an Unknown one; Ready=True carries no reason or message) and
/// keeps each lastTransitionTime unless that condition's status changed.
/// </summary>
public sealed partial class RocketMQSourceStatus
{
    private const string Info = "Info";

    /// <summary>What Ready depends on, in the order a cause explains it: the adapter waits for its sink, and an adapter that cannot consume is why its pods are unavailable.</summary>
    private static readonly string[] ReadyDependsOn = [ConditionTypes.SinkProvided, ConditionTypes.RocketMQReady, ConditionTypes.Deployed, ConditionTypes.OIDCIdentityCreated];

    private static readonly string[] Order = [ConditionTypes.Ready, ConditionTypes.Deployed, ConditionTypes.RocketMQReady, ConditionTypes.SinkProvided, ConditionTypes.OIDCIdentityCreated, ConditionTypes.AutoscalerReady];

    internal void MarkSink(ResolvedAddress sink)
    {
        SinkUri = sink.Uri.ToString();
        SinkCACerts = sink.CACerts;
        SinkAudience = sink.Audience;
        Set(ConditionTypes.SinkProvided, ConditionStatus.True, Reasons.SinkResolved, $"sink resolves to {sink.Uri}");
    }

    internal void MarkNoSink(SinkFailure failure) =>
        Set(ConditionTypes.SinkProvided, ConditionStatus.False, SinkReasons(failure.Problem).Sink, SinkMessage(failure, "spec.sink"));

    /// <summary>knative/eventing pkg/apis/duck/v1 DeliveryStatus: the resolved dead-letter sink.</summary>
    internal void MarkDeadLetterSink(ResolvedAddress deadLetterSink)
    {
        DeadLetterSinkUri = deadLetterSink.Uri.ToString();
        DeadLetterSinkCACerts = deadLetterSink.CACerts;
        DeadLetterSinkAudience = deadLetterSink.Audience;
    }

    /// <summary>SinkProvided is False when the dead-letter sink fails too: events that fail would have nowhere to go.</summary>
    internal void MarkNoDeadLetterSink(SinkFailure failure) =>
        Set(ConditionTypes.SinkProvided, ConditionStatus.False, SinkReasons(failure.Problem).DeadLetterSink,
            "spec.delivery.deadLetterSink: " + SinkMessage(failure, "spec.delivery.deadLetterSink"));

    internal void PropagateRocketMq(RocketMqCheck check)
    {
        switch (check)
        {
            case TopicRoutedCheck routed:
                Set(ConditionTypes.RocketMQReady, ConditionStatus.True, Reasons.TopicRouted,
                    string.Create(CultureInfo.InvariantCulture, $"the proxy at {routed.Target.Endpoints} routes topic {routed.Target.Topic} to {routed.Queues} queues"));
                break;
            case RocketMqFailedCheck failed:
                var (reason, message) = RocketMqFailure(failed);
                Set(ConditionTypes.RocketMQReady, ConditionStatus.False, reason, message);
                break;
            case RocketMqNotChecked { Secrets: null }:
                Set(ConditionTypes.RocketMQReady, ConditionStatus.Unknown, Reasons.NotChecked, "spec.endpoints and spec.topic are needed to check RocketMQ");
                break;
            case RocketMqNotChecked { Secrets: { } secrets }:
                Set(ConditionTypes.RocketMQReady, ConditionStatus.Unknown, Reasons.NotChecked, "waiting for the credentials Secret: " + SecretMessage(secrets));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(check), check, null);
        }
    }

    internal void MarkDeploymentBlocked(DeploymentBlock block, string deploymentName)
    {
        var (status, reason) = block.Blocker switch
        {
            DeploymentBlocker.InvalidSpec => (ConditionStatus.False, Reasons.InvalidSpec),
            DeploymentBlocker.NotOwned => (ConditionStatus.False, Reasons.DeploymentNotOwned),
            DeploymentBlocker.SecretNotFound => (ConditionStatus.False, Reasons.SecretNotFound),
            DeploymentBlocker.SecretKeyNotFound => (ConditionStatus.False, Reasons.SecretKeyNotFound),
            DeploymentBlocker.WaitingForSink or DeploymentBlocker.WaitingForDeadLetterSink or DeploymentBlocker.WaitingForIdentity => (ConditionStatus.Unknown, Reasons.DeploymentPending),
            _ => throw new ArgumentOutOfRangeException(nameof(block), block.Blocker, null),
        };
        Set(ConditionTypes.Deployed, status, reason, block.Blocker switch
        {
            DeploymentBlocker.InvalidSpec => block.Detail!,
            DeploymentBlocker.NotOwned => $"Deployment {deploymentName} already exists and is not controlled by this RocketMQSource; delete or rename it",
            DeploymentBlocker.WaitingForSink => "the adapter is deployed once spec.sink resolves",
            DeploymentBlocker.WaitingForDeadLetterSink => "the adapter is deployed once spec.delivery.deadLetterSink resolves",
            // Deploying without the identity would send events unauthenticated or as the wrong account.
            DeploymentBlocker.WaitingForIdentity => "the adapter is deployed once its OIDC identity exists",
            _ => SecretMessage(block.Secrets!),
        });
    }

    /// <summary>No adapter Deployment yet (it is being created).</summary>
    internal void MarkDeploymentProgressing() =>
        Set(ConditionTypes.Deployed, ConditionStatus.Unknown, Reasons.DeploymentProgressing, "waiting for the adapter Deployment");

    /// <summary>Deployed from the adapter Deployment's own conditions: a replica failure or a stalled rollout is the reason, in its words.</summary>
    internal void PropagateDeploymentAvailability(V1Deployment deployment)
    {
        var name = $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
        var status = deployment.Status;
        var conditions = status?.Conditions ?? [];
        V1DeploymentCondition? Find(string type) => conditions.FirstOrDefault(c => c.Type == type);
        var available = Find("Available");
        if (Find("ReplicaFailure") is { Status: "True" } failure)
        {
            MarkUnavailable(name, failure);
        }
        else if (Find("Progressing") is { Status: "False" } stalled)
        {
            MarkUnavailable(name, stalled);
        }
        else if (status is null || conditions.Count == 0 || status.ObservedGeneration < deployment.Metadata.Generation)
        {
            Set(ConditionTypes.Deployed, ConditionStatus.Unknown, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to roll out");
        }
        else if (available is { Status: "True" })
        {
            Set(ConditionTypes.Deployed, ConditionStatus.True, Reasons.DeploymentReady,
                string.Create(CultureInfo.InvariantCulture, $"Deployment {name} has {status.AvailableReplicas ?? 0}/{deployment.Spec?.Replicas ?? 1} replicas available"));
        }
        else if (available is not null)
        {
            MarkUnavailable(name, available);
        }
        else
        {
            Set(ConditionTypes.Deployed, ConditionStatus.Unknown, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to become available");
        }
    }

    /// <summary>The scale subresource's status.replicas and status.selector, from the adapter Deployment the source controls.</summary>
    internal void PropagateReplicas(V1Deployment deployment)
    {
        Replicas = deployment.Status?.Replicas ?? 0;
        Selector = deployment.Spec?.Selector?.MatchLabels is { Count: > 0 } labels ? string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")) : null;
    }

    /// <summary>knative/eventing pkg/auth/serviceaccount.go SetupOIDCServiceAccount: the reasons are Knative's own.</summary>
    internal void PropagateOidc(OidcOutcome oidc)
    {
        Auth = oidc is { Enabled: true, ServiceAccountName: { } account } ? new AuthStatus { ServiceAccountName = account } : null;
        switch (oidc)
        {
            case { Enabled: false }:
                Set(ConditionTypes.OIDCIdentityCreated, ConditionStatus.True, Reasons.OIDCFeatureDisabled, null);
                break;
            case { Failure: { } failure }:
                Set(ConditionTypes.OIDCIdentityCreated, ConditionStatus.False, Reasons.OIDCIdentityFailed, failure);
                break;
            default:
                Set(ConditionTypes.OIDCIdentityCreated, ConditionStatus.True, null, null);
                break;
        }
    }

    /// <summary>AutoscalerReady, severity Info: the adapter runs at its replica count whatever the autoscaler does, so Ready ignores it.</summary>
    internal void PropagateAutoscaler(AutoscalerOutcome outcome)
    {
        var (status, reason, message) = outcome switch
        {
            AutoscalerBlocked { Problem: AutoscalerProblem.KedaNotInstalled } => (ConditionStatus.False, Reasons.KedaNotInstalled,
                "the API server does not serve keda.sh/v1alpha1 scaledobjects; install KEDA to autoscale (the adapter keeps its replica count)"),
            AutoscalerBlocked { Problem: AutoscalerProblem.InvalidAnnotations } invalid => (ConditionStatus.False, Reasons.InvalidAutoscaling, invalid.Detail),
            AutoscalerBlocked { Problem: AutoscalerProblem.NoPrometheus } missing => (ConditionStatus.False, Reasons.InvalidAutoscaling,
                $"ConfigMap {missing.Detail} has no prometheus-server-address: the Prometheus that scrapes the RocketMQ broker"),
            AutoscalerBlocked { Problem: AutoscalerProblem.NotOwned } foreign => (ConditionStatus.False, Reasons.ScaledObjectNotOwned,
                $"ScaledObject {foreign.Detail} already exists and is not controlled by this RocketMQSource; delete or rename it"),
            ScaledObjectObserved { ReadyStatus: ConditionStatus.True } ready => (ConditionStatus.True, Reasons.ScaledObjectReady, $"KEDA scales the adapter through ScaledObject {ready.Name}"),
            ScaledObjectObserved observed => (observed.ReadyStatus == ConditionStatus.False ? ConditionStatus.False : ConditionStatus.Unknown, Reasons.ScaledObjectNotReady,
                $"ScaledObject {observed.Name}: {NonEmpty(observed.ReadyMessage) ?? "KEDA has not reported it Ready yet"}"),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
        };
        Set(ConditionTypes.AutoscalerReady, status, reason, message, Info);
    }

    /// <summary>
    /// Derives Ready, orders the conditions (Ready first, then what it summarises, then the
    /// informational ones) and stamps lastTransitionTime: kept from <paramref name="previous"/>
    /// while a condition's status stays, <paramref name="now"/> in whole seconds when it changes.
    /// </summary>
    internal void Summarize(IEnumerable<Condition>? previous, DateTimeOffset now)
    {
        var marked = (Conditions ?? []).ToDictionary(c => c.Type!, StringComparer.Ordinal);
        var dependents = ReadyDependsOn.Select(marked.GetValueOrDefault).OfType<Condition>().ToList();
        var cause = dependents.FirstOrDefault(c => c.Status == ConditionStatus.False) ?? dependents.FirstOrDefault(c => c.Status != ConditionStatus.True);
        marked[ConditionTypes.Ready] = cause is null
            ? new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True }
            : new Condition { Type = ConditionTypes.Ready, Status = cause.Status, Reason = cause.Reason, Message = cause.Message };

        var old = (previous ?? []).Where(c => c.Type is not null).GroupBy(c => c.Type!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var stamp = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        Conditions = [.. Order.Select(marked.GetValueOrDefault).OfType<Condition>().Select(c =>
        {
            var before = old.GetValueOrDefault(c.Type!);
            c.LastTransitionTime = before is { LastTransitionTime: { } kept } && before.Status == c.Status ? kept : stamp;
            return c;
        })];
    }

    /// <summary>The condition of that type, or null.</summary>
    internal Condition? Condition(string type) => Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Each problem's reason for the sink and for the dead-letter sink, which says which destination failed.</summary>
    private static (string Sink, string DeadLetterSink) SinkReasons(SinkProblem problem) => problem switch
    {
        SinkProblem.InvalidSpec => (Reasons.InvalidSpec, Reasons.DeadLetterInvalidSpec),
        SinkProblem.NamespaceNotAllowed => (Reasons.SinkNamespaceNotAllowed, Reasons.DeadLetterSinkNamespaceNotAllowed),
        SinkProblem.NotFound => (Reasons.SinkNotFound, Reasons.DeadLetterSinkNotFound),
        SinkProblem.Forbidden => (Reasons.SinkNotResolved, Reasons.DeadLetterSinkNotResolved),
        SinkProblem.NotReady => (Reasons.SinkNotReady, Reasons.DeadLetterSinkNotReady),
        SinkProblem.NotAddressable => (Reasons.SinkNotAddressable, Reasons.DeadLetterSinkNotAddressable),
        SinkProblem.NotHttps => (Reasons.SinkNotHttps, Reasons.DeadLetterSinkNotHttps),
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };

    private static string SinkMessage(SinkFailure failure, string field) => failure.Problem switch
    {
        SinkProblem.InvalidSpec => failure.Subject,
        // knative/pkg apis/duck/v1 knative_reference.go's words, then what to change.
        SinkProblem.NamespaceNotAllowed => $"mismatched namespaces: parent namespace: \"{failure.Detail}\" does not match ref: \"{failure.Subject}\"; "
            + "enable cross-namespace-event-links in Knative's config-features to allow it",
        SinkProblem.NotFound => $"{failure.Subject} not found",
        SinkProblem.Forbidden => $"the controller may not read {failure.Subject}; grant get/list/watch on it through Knative's addressable-resolver ClusterRole",
        SinkProblem.NotReady => $"{failure.Subject} is not ready: {failure.Detail}",
        SinkProblem.NotAddressable => $"{failure.Subject} has no address (status.address.url is empty); is it an Addressable?",
        SinkProblem.NotHttps => $"Knative's transport-encryption is strict and {field} ({failure.Subject}) offers only {failure.Detail}; "
            + "give it an https address (with its CA certificates) or relax transport-encryption",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Problem, null),
    };

    private static string SecretMessage(SecretCheck secrets)
    {
        var secret = secrets.Secret!;
        return secrets.Problem == SecretProblem.KeyNotFound
            ? $"Secret {secrets.Namespace}/{secret.Name} has no key '{secret.Key}' (referenced by {secret.Field})"
            : $"Secret {secrets.Namespace}/{secret.Name} referenced by {secret.Field} not found";
    }

    /// <summary>Codes as in apache/rocketmq-apis definition.proto (UNAUTHORIZED 40100, FORBIDDEN 40300, TOPIC_NOT_FOUND 40402). Messages name the access key, never the secret.</summary>
    private static (string Reason, string Message) RocketMqFailure(RocketMqFailedCheck failed)
    {
        var target = failed.Target;
        var key = target.AccessKey is { Length: > 0 } accessKey ? $"\"{accessKey}\"" : "(none configured)";
        var inNamespace = target.Namespace.Length > 0 ? $" (RocketMQ namespace {target.Namespace})" : string.Empty;
        return failed.Kind switch
        {
            RocketMqFailureKind.TlsHandshakeFailed => (Reasons.TlsHandshakeFailed, $"{failed.Cause} with the proxy at {target.Endpoints}; check spec.tls and spec.caCert"),
            RocketMqFailureKind.Unreachable => (Reasons.ProxyUnreachable, $"cannot reach the RocketMQ proxy at {target.Endpoints}: {failed.Cause}"),
            RocketMqFailureKind.Unauthorized => (Reasons.Unauthorized, $"the proxy at {target.Endpoints} rejected access key {key}: {failed.Cause}; check spec.credentials"),
            RocketMqFailureKind.Forbidden => (Reasons.Forbidden, $"access key {key} may not consume topic {target.Topic}: {failed.Cause}"),
            RocketMqFailureKind.TopicNotFound => (Reasons.TopicNotFound, $"topic {target.Topic}{inNamespace} does not exist on the proxy at {target.Endpoints}: {failed.Cause}"),
            RocketMqFailureKind.ErrorStatus => (Reasons.ProxyError, $"the proxy at {target.Endpoints} answered the route query for topic {target.Topic} with {failed.Cause}"),
            RocketMqFailureKind.CallFailed or RocketMqFailureKind.Unexpected => (Reasons.ProxyError, $"the route query to {target.Endpoints} failed: {failed.Cause}"),
            _ => throw new ArgumentOutOfRangeException(nameof(failed), failed.Kind, null),
        };
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private void MarkUnavailable(string name, V1DeploymentCondition condition) =>
        Set(ConditionTypes.Deployed, ConditionStatus.False, Reasons.DeploymentUnavailable,
            $"Deployment {name} is unavailable: {NonEmpty(condition.Message) ?? NonEmpty(condition.Reason) ?? $"{condition.Type} is {condition.Status}"}");

    private void Set(string type, string status, string? reason, string? message, string? severity = null)
    {
        Conditions ??= [];
        if (Conditions.FirstOrDefault(c => c.Type == type) is { } existing)
        {
            Conditions.Remove(existing);
        }

        Conditions.Add(new Condition { Type = type, Status = status, Reason = reason, Message = message, Severity = severity });
    }
}
