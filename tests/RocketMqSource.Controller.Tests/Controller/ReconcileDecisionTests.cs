using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Sinks;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The pure reconcile: which Deployment write, and which status, for each situation.</summary>
public sealed class ReconcileDecisionTests
{
    private static RocketMQSourceStatus Status(V1Alpha1RocketMQSource source, ReconcileInputs inputs, DeploymentPlan plan, V1Deployment? deployment, DateTimeOffset? now = null) =>
        StatusCalculator.Compute(source, inputs.Sink, inputs.DeadLetterSink, plan, deployment, now ?? Now);

    [Fact]
    public void A_new_source_with_a_resolved_sink_creates_its_Deployment_and_waits_for_it()
    {
        var source = Source();
        var inputs = Inputs(source);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, Stored(plan.Write!));

        Assert.Equal(DeploymentAction.Create, plan.Action);
        Assert.Equal(("True", "SinkResolved"), Pair(Condition(status, "SinkProvided")));
        Assert.Equal(("Unknown", "DeploymentProgressing"), Pair(Condition(status, "Deployed")));
        Assert.Equal(("Unknown", "DeploymentProgressing"), Pair(Condition(status, "Ready")));
        Assert.Equal(BrokerUrl.ToString(), status.SinkUri);
        Assert.Equal(1, status.ObservedGeneration);
    }

    [Fact]
    public void An_available_Deployment_makes_the_source_Ready()
    {
        var source = Source();
        var desired = ReconcilePlanner.Plan(Inputs(source)).Write!;
        var observed = Available(Stored(desired));
        var inputs = Inputs(source, observed: observed);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, observed);

        Assert.Equal(DeploymentAction.None, plan.Action);
        Assert.Equal(("True", "DeploymentReady"), Pair(Condition(status, "Deployed")));
        Assert.Equal("Deployment food/" + desired.Metadata.Name + " has 1/1 replicas available", Condition(status, "Deployed").Message);
        // Knative's Ready=True carries no reason and no message (knative/pkg apis/condition_set.go MarkTrue).
        var ready = Condition(status, "Ready");
        Assert.Equal(("True", null, null), (ready.Status, ready.Reason, ready.Message));
        var attributes = Assert.Single(status.CeAttributes!);
        Assert.Equal("dev.knative.rocketmq.event", attributes.Type);
        Assert.Equal("/apis/v1/namespaces/food/rocketmqsources/orders#orders", attributes.Source);
    }

    [Fact]
    public void An_unchanged_spec_never_updates_even_with_server_defaulted_fields_and_quantities_rewritten()
    {
        var source = Source(s => s.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("0.5"), ["memory"] = new("128Mi") } });
        var stored = Stored(ReconcilePlanner.Plan(Inputs(source)).Write!);
        // The API server canonicalises quantities.
        stored.Spec.Template.Spec.Containers[0].Resources.Limits["cpu"] = new ResourceQuantity("500m");
        stored.Metadata.Labels["team"] = "someone-else";

        Assert.Equal(DeploymentAction.None, ReconcilePlanner.Plan(Inputs(source, observed: Available(stored))).Action);
    }

    [Fact]
    public void A_topic_change_updates_the_adapter_environment_and_keeps_foreign_fields()
    {
        var stored = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!);
        var changed = Source(s => s.Topic = "refunds", generation: 2);

        var plan = ReconcilePlanner.Plan(Inputs(changed, observed: Available(stored)));

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal("refunds", Env(plan.Write!, "ROCKETMQ_TOPIC"));
        Assert.Equal("42", plan.Write!.Metadata.ResourceVersion); // conditional write
        Assert.Equal("RollingUpdate", plan.Write.Spec.Strategy.Type);
        Assert.Null(plan.Write.Status);
    }

    [Fact]
    public void A_replicas_change_updates_the_Deployment()
    {
        var stored = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!);

        var plan = ReconcilePlanner.Plan(Inputs(Source(s => s.Replicas = 0), observed: stored));

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal(0, plan.Write!.Spec.Replicas);
    }

    [Theory]
    [InlineData("SinkNotFound", "Broker food/default not found")]
    [InlineData("SinkNotReady", "Broker food/default is not ready: no ingress")]
    [InlineData("SinkNotAddressable", "Broker food/default has no address (status.address.url is empty); is it an Addressable?")]
    public void An_unresolved_sink_reports_SinkProvided_False_and_creates_nothing(string reason, string message)
    {
        var source = Source();
        var inputs = Inputs(source, SinkOutcome.Failure(reason, message));

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, null);

        Assert.Equal(DeploymentAction.None, plan.Action);
        Assert.Null(plan.Write);
        Assert.Equal(("False", reason), Pair(Condition(status, "SinkProvided")));
        Assert.Equal(message, Condition(status, "SinkProvided").Message);
        Assert.Equal(("Unknown", "DeploymentPending"), Pair(Condition(status, "Deployed")));
        Assert.Equal(("False", reason), Pair(Condition(status, "Ready")));
        Assert.Equal(message, Condition(status, "Ready").Message);
        Assert.Null(status.SinkUri);
    }

    [Fact]
    public void A_lost_sink_leaves_the_running_adapter_alone_and_still_reports_its_state()
    {
        var source = Source();
        var observed = Available(Stored(ReconcilePlanner.Plan(Inputs(source)).Write!));
        var inputs = Inputs(source, SinkOutcome.Failure(Reasons.SinkNotFound, "Broker food/default not found"), observed);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, observed);

        Assert.Equal(DeploymentAction.None, plan.Action);
        Assert.Equal(("True", "DeploymentReady"), Pair(Condition(status, "Deployed")));
        Assert.Equal(("False", "SinkNotFound"), Pair(Condition(status, "Ready")));
    }

    [Fact]
    public void A_dead_letter_sink_that_does_not_resolve_blocks_the_Deployment()
    {
        var source = Source();
        var inputs = Inputs(source, deadLetter: SinkOutcome.Failure(Reasons.SinkNotFound, "Service food/dls not found"));

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, null);

        Assert.Equal(DeploymentAction.None, plan.Action);
        Assert.Equal(("False", "DeadLetterSinkNotFound"), Pair(Condition(status, "SinkProvided")));
        Assert.Equal("spec.delivery.deadLetterSink: Service food/dls not found", Condition(status, "SinkProvided").Message);
    }

    [Fact]
    public void An_invalid_spec_is_reported_as_InvalidSpec_with_every_problem()
    {
        var source = Source(s =>
        {
            s.Topic = "";
            s.InvisibleDuration = "5s";
            s.Delivery = new DeliverySpec { Timeout = "30 seconds" };
        });
        var inputs = Inputs(source);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, null);

        Assert.Equal(DeploymentAction.None, plan.Action);
        var deployed = Condition(status, "Deployed");
        Assert.Equal(("False", "InvalidSpec"), Pair(deployed));
        Assert.Contains("spec.topic is required", deployed.Message);
        Assert.Contains("spec.invisibleDuration '5s' must be a duration such as 30s between 10s and 12h", deployed.Message);
        Assert.Contains("spec.delivery.timeout '30 seconds'", deployed.Message);
        Assert.Equal(("False", "InvalidSpec"), Pair(Condition(status, "Ready")));
        Assert.Null(status.CeAttributes);
    }

    [Fact]
    public void A_missing_credentials_Secret_blocks_the_Deployment_with_SecretNotFound()
    {
        var source = Source();
        var secrets = new SecretCheck(SecretProblem.NotFound, "Secret food/rmq-credentials referenced by spec.credentials.accessKey not found", null);
        var inputs = Inputs(source, secrets: secrets);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, null);

        Assert.Equal(DeploymentAction.None, plan.Action);
        Assert.Equal(("False", "SecretNotFound"), Pair(Condition(status, "Deployed")));
        Assert.Equal(secrets.Message, Condition(status, "Ready").Message);
    }

    [Fact]
    public void A_Deployment_with_our_name_that_we_do_not_control_is_reported_not_taken()
    {
        var source = Source();
        var foreign = Stored(ReconcilePlanner.Plan(Inputs(source)).Write!);
        foreign.Metadata.OwnerReferences = null;
        var inputs = Inputs(source, observed: foreign);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = Status(source, inputs, plan, foreign);

        Assert.Equal(DeploymentAction.None, plan.Action);
        var deployed = Condition(status, "Deployed");
        Assert.Equal(("False", "DeploymentNotOwned"), Pair(deployed));
        Assert.Contains("is not controlled by this RocketMQSource", deployed.Message);
    }

    [Fact]
    public void A_failed_rollout_reports_DeploymentUnavailable_with_the_Deployments_own_message()
    {
        var source = Source();
        var stored = Stored(ReconcilePlanner.Plan(Inputs(source)).Write!);
        var failed = WithStatus(stored, 1,
            ("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            ("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"rocketmqsource-orders-abc\" has timed out progressing."));
        var inputs = Inputs(source, observed: failed);

        var status = Status(source, inputs, ReconcilePlanner.Plan(inputs), failed);

        var deployed = Condition(status, "Deployed");
        Assert.Equal(("False", "DeploymentUnavailable"), Pair(deployed));
        Assert.EndsWith("is unavailable: ReplicaSet \"rocketmqsource-orders-abc\" has timed out progressing.", deployed.Message);
        Assert.Equal(("False", "DeploymentUnavailable"), Pair(Condition(status, "Ready")));
    }

    [Fact]
    public void A_replica_failure_wins_over_a_progressing_rollout()
    {
        var stored = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!);
        var failing = WithStatus(stored, 1,
            ("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            ("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet is progressing."),
            ("ReplicaFailure", "True", "FailedCreate", "pods \"x\" is forbidden: violates PodSecurity"));

        var deployed = DeploymentAvailability.Evaluate(failing);

        Assert.Equal(("False", "DeploymentUnavailable"), (deployed.Status, deployed.Reason));
        Assert.EndsWith("pods \"x\" is forbidden: violates PodSecurity", deployed.Message);
    }

    [Fact]
    public void A_rollout_the_Deployment_controller_has_not_observed_yet_is_Unknown()
    {
        var stored = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!, generation: 3);
        var stale = Available(stored);
        stale.Status.ObservedGeneration = 2;

        Assert.Equal(("Unknown", "DeploymentProgressing"), (DeploymentAvailability.Evaluate(stale).Status, DeploymentAvailability.Evaluate(stale).Reason));
    }

    [Fact]
    public void LastTransitionTime_moves_only_when_a_conditions_status_changes()
    {
        var source = Source();
        var observed = Stored(ReconcilePlanner.Plan(Inputs(source)).Write!);
        var first = Status(source, Inputs(source, observed: observed), ReconcilePlanner.Plan(Inputs(source, observed: observed)), observed, Now);
        source.Status = first;

        var later = Now.AddMinutes(5);
        var sameState = Status(source, Inputs(source, observed: observed), ReconcilePlanner.Plan(Inputs(source, observed: observed)), observed, later);
        var available = Available(observed);
        var readyNow = Status(source, Inputs(source, observed: available), ReconcilePlanner.Plan(Inputs(source, observed: available)), available, later);

        Assert.Equal(Now.UtcDateTime, Condition(sameState, "Ready").LastTransitionTime);
        Assert.Equal(later.UtcDateTime, Condition(readyNow, "Ready").LastTransitionTime);
        Assert.Equal(Now.UtcDateTime, Condition(readyNow, "SinkProvided").LastTransitionTime);
    }

    [Fact]
    public void ObservedGeneration_follows_the_reconciled_generation()
    {
        var source = Source(generation: 7);
        var inputs = Inputs(source);

        Assert.Equal(7, Status(source, inputs, ReconcilePlanner.Plan(inputs), null).ObservedGeneration);
    }

    private static (string?, string?) Pair(Condition condition) => (condition.Status, condition.Reason);
}
