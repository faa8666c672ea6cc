using System.Text.RegularExpressions;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Status;

/// <summary>
/// The status's Mark*/Propagate* methods are the one place reasons are chosen: every typed outcome
/// reads as one reason, the Reasons list is exactly what they (and the Events) can write, and
/// README lists exactly that.
/// </summary>
public sealed partial class StatusLifecycleTests
{
    private static readonly RocketMqTarget Target = new("10.0.0.5:8081", "", "orders", "orders-reader");

    /// <summary>Each outcome, what it marks, and the condition (type, status, reason) it must read as.</summary>
    private static IEnumerable<(string Outcome, Action<RocketMQSourceStatus> Mark, string Type, string Status, string? Reason)> Outcomes()
    {
        var address = new ResolvedAddress(BrokerUrl, null, null);
        yield return ("sink resolved", s => s.MarkSink(address), "SinkProvided", "True", "SinkResolved");
        foreach (var (problem, reason) in new[]
        {
            (SinkProblem.InvalidSpec, "InvalidSpec"), (SinkProblem.NamespaceNotAllowed, "SinkNamespaceNotAllowed"), (SinkProblem.NotFound, "SinkNotFound"),
            (SinkProblem.Forbidden, "SinkNotResolved"), (SinkProblem.NotReady, "SinkNotReady"), (SinkProblem.NotAddressable, "SinkNotAddressable"), (SinkProblem.NotHttps, "SinkNotHttps"),
        })
        {
            yield return ($"sink {problem}", s => s.MarkNoSink(new SinkFailure(problem, "Broker food/default", "detail")), "SinkProvided", "False", reason);
        }

        foreach (var (problem, reason) in new[]
        {
            (SinkProblem.InvalidSpec, "DeadLetterInvalidSpec"), (SinkProblem.NamespaceNotAllowed, "DeadLetterSinkNamespaceNotAllowed"), (SinkProblem.NotFound, "DeadLetterSinkNotFound"),
            (SinkProblem.Forbidden, "DeadLetterSinkNotResolved"), (SinkProblem.NotReady, "DeadLetterSinkNotReady"), (SinkProblem.NotAddressable, "DeadLetterSinkNotAddressable"),
            (SinkProblem.NotHttps, "DeadLetterSinkNotHttps"),
        })
        {
            yield return ($"dead-letter sink {problem}", s => { s.MarkSink(address); s.MarkNoDeadLetterSink(new SinkFailure(problem, "Broker food/dls", "detail")); }, "SinkProvided", "False", reason);
        }

        yield return ("topic routed", s => s.PropagateRocketMq(new TopicRoutedCheck(Target, 8)), "RocketMQReady", "True", "TopicRouted");
        foreach (var (problem, reason) in new[]
        {
            (RocketMqFailureKind.Unreachable, "ProxyUnreachable"), (RocketMqFailureKind.TlsHandshakeFailed, "TlsHandshakeFailed"), (RocketMqFailureKind.Unauthorized, "Unauthorized"),
            (RocketMqFailureKind.Forbidden, "Forbidden"), (RocketMqFailureKind.TopicNotFound, "TopicNotFound"), (RocketMqFailureKind.ErrorStatus, "ProxyError"),
            (RocketMqFailureKind.CallFailed, "ProxyError"), (RocketMqFailureKind.Unexpected, "ProxyError"),
        })
        {
            yield return ($"RocketMQ {problem}", s => s.PropagateRocketMq(new RocketMqFailedCheck(Target, problem, "cause")), "RocketMQReady", "False", reason);
        }

        var missing = new SecretCheck(SecretProblem.NotFound, Namespace, new SecretReference("rmq", "ak", "spec.credentials.accessKey"), null);
        yield return ("RocketMQ spec incomplete", s => s.PropagateRocketMq(new RocketMqNotChecked(null)), "RocketMQReady", "Unknown", "NotChecked");
        yield return ("RocketMQ waiting for credentials", s => s.PropagateRocketMq(new RocketMqNotChecked(missing)), "RocketMQReady", "Unknown", "NotChecked");

        foreach (var (blocker, status, reason) in new[]
        {
            (DeploymentBlocker.InvalidSpec, "False", "InvalidSpec"), (DeploymentBlocker.NotOwned, "False", "DeploymentNotOwned"),
            (DeploymentBlocker.WaitingForSink, "Unknown", "DeploymentPending"), (DeploymentBlocker.WaitingForDeadLetterSink, "Unknown", "DeploymentPending"),
            (DeploymentBlocker.WaitingForIdentity, "Unknown", "DeploymentPending"), (DeploymentBlocker.SecretNotFound, "False", "SecretNotFound"),
            (DeploymentBlocker.SecretKeyNotFound, "False", "SecretKeyNotFound"),
        })
        {
            var secrets = missing with { Problem = blocker == DeploymentBlocker.SecretKeyNotFound ? SecretProblem.KeyNotFound : SecretProblem.NotFound };
            yield return ($"Deployment {blocker}", s => s.MarkDeploymentBlocked(new DeploymentBlock(blocker, "problems", secrets), "food/adapter"), "Deployed", status, reason);
        }

        yield return ("no Deployment yet", s => s.MarkDeploymentProgressing(), "Deployed", "Unknown", "DeploymentProgressing");
        yield return ("Deployment available", s => s.PropagateDeploymentAvailability(Deployment(1, ("Available", "True", "", ""))), "Deployed", "True", "DeploymentReady");
        yield return ("Deployment not yet observed", s => s.PropagateDeploymentAvailability(Deployment(0, ("Available", "True", "", ""))), "Deployed", "Unknown", "DeploymentProgressing");
        yield return ("Deployment without Available", s => s.PropagateDeploymentAvailability(Deployment(1, ("Progressing", "True", "", ""))), "Deployed", "Unknown", "DeploymentProgressing");
        yield return ("Deployment not available", s => s.PropagateDeploymentAvailability(Deployment(1, ("Available", "False", "MinimumReplicasUnavailable", ""))), "Deployed", "False", "DeploymentUnavailable");

        yield return ("OIDC identity made", s => s.PropagateOidc(new OidcOutcome(true, "orders-oidc", null)), "OIDCIdentityCreated", "True", null);
        yield return ("OIDC off", s => s.PropagateOidc(new OidcOutcome(false, null, null)), "OIDCIdentityCreated", "True", "authentication-oidc feature disabled");
        yield return ("OIDC identity failed", s => s.PropagateOidc(new OidcOutcome(true, "orders-oidc", "not owned")), "OIDCIdentityCreated", "False", "Unable to resolve service account for OIDC authentication");

        foreach (var (problem, reason) in new[]
        {
            (AutoscalerProblem.KedaNotInstalled, "KedaNotInstalled"), (AutoscalerProblem.InvalidAnnotations, "InvalidAutoscaling"),
            (AutoscalerProblem.NoPrometheus, "InvalidAutoscaling"), (AutoscalerProblem.NotOwned, "ScaledObjectNotOwned"),
        })
        {
            yield return ($"autoscaler {problem}", s => s.PropagateAutoscaler(new AutoscalerBlocked(problem, "detail")), "AutoscalerReady", "False", reason);
        }

        yield return ("ScaledObject ready", s => s.PropagateAutoscaler(new ScaledObjectObserved("so", "True", null)), "AutoscalerReady", "True", "ScaledObjectReady");
        yield return ("ScaledObject not ready", s => s.PropagateAutoscaler(new ScaledObjectObserved("so", "False", "no metrics")), "AutoscalerReady", "False", "ScaledObjectNotReady");
        yield return ("ScaledObject not reported", s => s.PropagateAutoscaler(new ScaledObjectObserved("so", null, null)), "AutoscalerReady", "Unknown", "ScaledObjectNotReady");
    }

    [Fact]
    public void Every_outcome_reads_as_its_one_reason()
    {
        foreach (var (outcome, mark, type, status, reason) in Outcomes())
        {
            var marked = new RocketMQSourceStatus();
            mark(marked);

            var condition = marked.Condition(type);
            Assert.True(condition is not null, outcome);
            Assert.Equal((outcome, status, reason), (outcome, condition.Status, condition.Reason));
            Assert.False(string.IsNullOrEmpty(condition.Message) && reason is not (null or "authentication-oidc feature disabled"), $"{outcome}: a reason without a message");
        }
    }

    [Fact]
    public void Every_value_of_every_outcome_type_is_driven()
    {
        var driven = Outcomes().Select(o => o.Outcome).ToList();

        foreach (var problem in Enum.GetValues<SinkProblem>())
        {
            Assert.Contains($"sink {problem}", driven);
            Assert.Contains($"dead-letter sink {problem}", driven);
        }

        Assert.All(Enum.GetValues<RocketMqFailureKind>(), p => Assert.Contains($"RocketMQ {p}", driven));
        Assert.All(Enum.GetValues<DeploymentBlocker>(), b => Assert.Contains($"Deployment {b}", driven));
        Assert.All(Enum.GetValues<AutoscalerProblem>(), p => Assert.Contains($"autoscaler {p}", driven));
    }

    [Fact]
    public void The_reasons_list_is_exactly_what_the_conditions_and_Events_can_carry()
    {
        // What the code writes for every outcome, not what this test expects it to write.
        var written = Outcomes().Select(o =>
            {
                var marked = new RocketMQSourceStatus();
                o.Mark(marked);
                return marked.Condition(o.Type)!.Reason;
            })
            .OfType<string>()
            // Events: the Deployment writes, and a reconcile that failed (SourceController).
            .Concat([Reasons.DeploymentCreated, Reasons.DeploymentUpdated, Reasons.ReconcileFailed]);

        Assert.Equal(Reasons.All.Order(StringComparer.Ordinal), written.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void README_lists_exactly_the_reasons_the_controller_writes()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("### Status reasons", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has a '### Status reasons' section");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var listed = ReasonCell().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Reasons.All.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ready_is_explained_by_a_False_dependent_before_an_Unknown_one_and_True_carries_no_reason()
    {
        var status = new RocketMQSourceStatus();
        status.MarkSink(new ResolvedAddress(BrokerUrl, null, null));
        status.PropagateRocketMq(new RocketMqNotChecked(null));
        status.MarkDeploymentBlocked(new DeploymentBlock(DeploymentBlocker.InvalidSpec, "spec.topic is required"), "food/adapter");
        status.PropagateOidc(new OidcOutcome(false, null, null));
        status.PropagateAutoscaler(new AutoscalerBlocked(AutoscalerProblem.KedaNotInstalled));

        status.Summarize(null, Now);

        Assert.Equal(["Ready", "Deployed", "RocketMQReady", "SinkProvided", "OIDCIdentityCreated", "AutoscalerReady"], status.Conditions!.Select(c => c.Type));
        Assert.Equal(("False", "InvalidSpec", "spec.topic is required"), (status.Condition("Ready")!.Status, status.Condition("Ready")!.Reason, status.Condition("Ready")!.Message));
        Assert.Equal("Info", status.Condition("AutoscalerReady")!.Severity);

        var ready = new RocketMQSourceStatus();
        ready.MarkSink(new ResolvedAddress(BrokerUrl, null, null));
        ready.PropagateRocketMq(new TopicRoutedCheck(Target, 8));
        ready.PropagateDeploymentAvailability(Deployment(1, ("Available", "True", "", "")));
        ready.PropagateOidc(new OidcOutcome(false, null, null));
        // Informational: a failing autoscaler never makes the source not Ready.
        ready.PropagateAutoscaler(new AutoscalerBlocked(AutoscalerProblem.KedaNotInstalled));
        ready.Summarize(null, Now);

        Assert.Equal(("True", null, null), (ready.Condition("Ready")!.Status, ready.Condition("Ready")!.Reason, ready.Condition("Ready")!.Message));
    }

    [Fact]
    public void LastTransitionTime_moves_only_when_a_conditions_status_changes()
    {
        RocketMQSourceStatus Marked(bool available, IEnumerable<Condition>? previous, DateTimeOffset now)
        {
            var status = new RocketMQSourceStatus();
            status.MarkSink(new ResolvedAddress(BrokerUrl, null, null));
            status.PropagateRocketMq(new TopicRoutedCheck(Target, 8));
            status.PropagateDeploymentAvailability(available ? Deployment(1, ("Available", "True", "", "")) : Deployment(1, ("Available", "Unknown", "Progressing", "rolling")));
            status.PropagateOidc(new OidcOutcome(false, null, null));
            status.Summarize(previous, now);
            return status;
        }

        var first = Marked(false, null, Now.AddMilliseconds(700));
        var later = Now.AddMinutes(5);
        var same = Marked(false, first.Conditions, later);
        var changed = Marked(true, first.Conditions, later);

        // Whole seconds (metav1.Time), so a written status reads back equal.
        Assert.Equal(Now.UtcDateTime, first.Condition("Ready")!.LastTransitionTime);
        Assert.Equal(Now.UtcDateTime, same.Condition("Ready")!.LastTransitionTime);
        Assert.Equal(later.UtcDateTime, changed.Condition("Ready")!.LastTransitionTime);
        Assert.Equal(Now.UtcDateTime, changed.Condition("SinkProvided")!.LastTransitionTime);
    }

    [Fact]
    public void A_replica_failure_wins_over_a_progressing_rollout_and_is_told_in_its_words()
    {
        var status = new RocketMQSourceStatus();

        status.PropagateDeploymentAvailability(Deployment(1,
            ("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            ("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet is progressing."),
            ("ReplicaFailure", "True", "FailedCreate", "pods \"x\" is forbidden: violates PodSecurity")));

        var deployed = status.Condition("Deployed")!;
        Assert.Equal(("False", "DeploymentUnavailable"), (deployed.Status, deployed.Reason));
        Assert.Equal("Deployment food/adapter is unavailable: pods \"x\" is forbidden: violates PodSecurity", deployed.Message);
    }

    [Fact]
    public void The_dead_letter_sink_is_reported_as_Knatives_DeliveryStatus_does()
    {
        var status = new RocketMQSourceStatus();

        status.MarkDeadLetterSink(new ResolvedAddress(new Uri("https://dls.food.svc.cluster.local/"), "PEM", "dls-audience"));

        var json = ToJson(status);
        Assert.Equal(("https://dls.food.svc.cluster.local/", "PEM", "dls-audience"),
            ((string?)json["deadLetterSinkUri"], (string?)json["deadLetterSinkCACerts"], (string?)json["deadLetterSinkAudience"]));
        Assert.Null(ToJson(new RocketMQSourceStatus())["deadLetterSinkUri"]);
    }

    private static V1Deployment Deployment(long observedGeneration, params (string Type, string Status, string Reason, string Message)[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "adapter", NamespaceProperty = Namespace, Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = 1 },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observedGeneration,
            AvailableReplicas = 1,
            Conditions = [.. conditions.Select(c => new V1DeploymentCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message })],
        },
    };

    /// <summary>A reason in the README's table: a backticked word in a table row.</summary>
    [GeneratedRegex("`([A-Za-z][A-Za-z -]+)`")]
    private static partial Regex ReasonCell();
}
