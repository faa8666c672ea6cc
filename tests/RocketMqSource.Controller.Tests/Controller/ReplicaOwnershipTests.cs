using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// The controller does not fight scaling: a source that sets spec.replicas pins the adapter's
/// count; a source without it starts the adapter at 1 and leaves the count to whoever scales
/// the Deployment (an HPA, KEDA, kubectl scale).
/// </summary>
public sealed class ReplicaOwnershipTests
{
    [Fact]
    public void An_unpinned_source_creates_its_adapter_with_one_replica()
    {
        var plan = ReconcilePlanner.Plan(Inputs(Source(s => s.Replicas = null)));

        Assert.Equal(DeploymentAction.Create, plan.Action);
        Assert.Equal(1, plan.Write!.Spec.Replicas);
    }

    [Fact]
    public void An_unpinned_source_leaves_a_scaled_Deployment_alone()
    {
        var unpinned = Source(s => s.Replicas = null);
        var scaled = Stored(ReconcilePlanner.Plan(Inputs(unpinned)).Write!);
        scaled.Spec.Replicas = 7;

        var plan = ReconcilePlanner.Plan(Inputs(unpinned, observed: scaled));

        Assert.Equal(DeploymentAction.None, plan.Action);
    }

    [Fact]
    public void A_spec_change_of_an_unpinned_source_keeps_the_scaled_replica_count()
    {
        var scaled = Stored(ReconcilePlanner.Plan(Inputs(Source(s => s.Replicas = null))).Write!);
        scaled.Spec.Replicas = 7;

        var plan = ReconcilePlanner.Plan(Inputs(Source(s => { s.Replicas = null; s.Topic = "refunds"; }), observed: scaled));
        var written = DeploymentComparison.Merge(plan.Write!, scaled);

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal(7, written.Spec.Replicas);
        Assert.Equal("refunds", Env(written, "ROCKETMQ_TOPIC"));
    }

    [Fact]
    public void A_pinned_source_resets_a_Deployment_scaled_behind_its_back()
    {
        var pinned = Source(s => s.Replicas = 2);
        var scaled = Stored(ReconcilePlanner.Plan(Inputs(pinned)).Write!);
        scaled.Spec.Replicas = 7;

        var plan = ReconcilePlanner.Plan(Inputs(pinned, observed: scaled));

        Assert.Equal(DeploymentAction.Update, plan.Action);
        Assert.Equal(2, DeploymentComparison.Merge(plan.Write!, scaled).Spec.Replicas);
    }
}
