using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The pure Deployment decision: create, update (only fields the controller owns), or leave alone, and what blocks it first.</summary>
public sealed class DeploymentPlanTests
{
    [Fact]
    public void A_new_source_with_a_resolved_sink_creates_its_Deployment()
    {
        var plan = ReconcilePlanner.Plan(Inputs(Source()));

        Assert.Equal((DeploymentAction.Create, null), (plan.Action, plan.Blocked));
        Assert.Equal(BrokerUrl.ToString(), Env(plan.Write!, "K_SINK"));
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
        var written = DeploymentComparison.Merge(plan.Write!, Available(stored));

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal("refunds", Env(written, "ROCKETMQ_TOPIC"));
        Assert.Equal("42", written.Metadata.ResourceVersion); // conditional write
        Assert.Equal("RollingUpdate", written.Spec.Strategy.Type);
        Assert.Null(written.Status);
    }

    [Fact]
    public void A_replicas_change_updates_the_Deployment()
    {
        var stored = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!);

        var plan = ReconcilePlanner.Plan(Inputs(Source(s => s.Replicas = 0), observed: stored));

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal(0, plan.Write!.Spec.Replicas);
    }

    [Fact]
    public void A_lost_sink_leaves_the_running_adapter_alone()
    {
        var source = Source();
        var observed = Available(Stored(ReconcilePlanner.Plan(Inputs(source)).Write!));

        var plan = ReconcilePlanner.Plan(Inputs(source, SinkResolution.Fail(SinkProblem.NotFound, "Broker food/default"), observed));

        Assert.Equal((DeploymentAction.None, DeploymentBlocker.WaitingForSink), (plan.Action, plan.Blocked!.Blocker));
    }

    [Fact]
    public void The_first_blocker_found_is_the_one_reported()
    {
        var foreign = Stored(ReconcilePlanner.Plan(Inputs(Source())).Write!);
        foreign.Metadata.OwnerReferences = null;
        var failed = SinkResolution.Fail(SinkProblem.NotFound, "Broker food/default");
        var missing = new SecretCheck(SecretProblem.NotFound, Namespace, new SecretReference("rmq", "ak", "spec.credentials.accessKey"), null);

        DeploymentBlocker? Blocker(ReconcileInputs inputs) => ReconcilePlanner.Plan(inputs).Blocked?.Blocker;

        Assert.Equal(DeploymentBlocker.InvalidSpec, Blocker(Inputs(Source(s => s.Topic = ""), failed, foreign)));
        Assert.Equal(DeploymentBlocker.NotOwned, Blocker(Inputs(Source(), failed, foreign)));
        Assert.Equal(DeploymentBlocker.WaitingForSink, Blocker(Inputs(Source(), failed, secrets: missing)));
        Assert.Equal(DeploymentBlocker.WaitingForDeadLetterSink, Blocker(Inputs(Source(), deadLetter: failed, secrets: missing)));
        Assert.Equal(DeploymentBlocker.WaitingForIdentity, Blocker(Inputs(Source(), secrets: missing) with { IdentityFailed = true }));
        Assert.Equal(DeploymentBlocker.SecretNotFound, Blocker(Inputs(Source(), secrets: missing)));
        Assert.Equal(DeploymentBlocker.SecretKeyNotFound, Blocker(Inputs(Source(), secrets: missing with { Problem = SecretProblem.KeyNotFound })));
    }

    [Fact]
    public void The_cache_keeps_what_the_planner_and_the_status_read_and_drops_the_rest()
    {
        var source = Source();
        var stored = Available(Stored(ReconcilePlanner.Plan(Inputs(source)).Write!));
        stored.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kube-controller-manager", Operation = "Update" }];
        stored.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "3" };

        var cached = CachedDeployment.From(stored);

        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Null(cached.Metadata.Annotations);
        Assert.Null(cached.Spec!.Template);
        Assert.True(DeploymentComparison.IsControlledBy(cached, Uid));
        Assert.Equal((stored.Metadata.Generation, stored.Spec.Replicas, stored.Status.AvailableReplicas), (cached.Metadata.Generation, cached.Spec.Replicas, cached.ToDeployment().Status.AvailableReplicas));
        Assert.Equal(DeploymentAction.None, ReconcilePlanner.Plan(Inputs(source, observed: stored)).Action);
    }
}
