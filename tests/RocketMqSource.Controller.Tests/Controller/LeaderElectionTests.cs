using RocketMqSource.Controller.Api;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>Two controller replicas: only the Lease holder reconciles; the other takes over when it stops.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private ControllerHarness harness = null!;

    public async Task InitializeAsync() => harness = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Only_the_leader_writes_and_the_standby_takes_over()
    {
        harness.SeedBroker();
        var first = harness.StartController(Options("controller-a", leaderElection: true));
        var second = harness.StartController(Options("controller-b", leaderElection: true));
        var leader = await Eventually.ValueAsync(() => first.IsLeader ? first : second.IsLeader ? second : null, "a leader");
        var standby = leader == first ? second : first;

        var created = await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("SinkProvided", "True");
        await Eventually.ValueAsync(() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events").Count > 0 ? "event" : null, "an event");

        // The reconcile is counted when it returns, just after its event.
        await Eventually.ValueAsync(() => leader.Metrics.Reconciles > 0 ? "counted" : null, "the leader's reconcile count");
        Assert.False(standby.IsLeader);
        Assert.Equal(0, standby.Metrics.Reconciles);
        Assert.All(harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events"),
            e => Assert.Equal(leader.Identity, (string?)e["reportingInstance"]));

        await harness.StopControllerAsync(leader);
        await Eventually.ValueAsync(() => standby.IsLeader ? "leading" : null, "the standby to take over");
        await harness.EditSourceAsync(s => s.Spec!.Topic = "refunds");

        await Eventually.ValueAsync(() => harness.Deployment(created) is { } d && Fixtures.Env(d, "ROCKETMQ_TOPIC") == "refunds" ? d : null, "the new leader to update the Deployment");
        await Eventually.ValueAsync(() => standby.Metrics.Reconciles > 0 ? "counted" : null, "the new leader's reconcile count");
    }

    [Fact]
    public async Task A_leader_that_shuts_down_releases_the_Lease_so_the_standby_takes_over_at_once()
    {
        // A lease far longer than the test's patience: only a release lets the standby lead in time.
        var longLease = (string identity) => Options(identity, leaderElection: true) with { LeaseDuration = TimeSpan.FromSeconds(60), RenewDeadline = TimeSpan.FromSeconds(40) };
        var first = harness.StartController(longLease("controller-a"));
        await Eventually.ValueAsync(() => first.IsLeader ? "leading" : null, "the first replica to lead");
        var second = harness.StartController(longLease("controller-b"));

        await harness.StopControllerAsync(first);

        var lease = harness.Server.TryGet("/apis/coordination.k8s.io/v1/namespaces/rocketmq-source/leases/rocketmqsource-controller")!;
        Assert.NotEqual("controller-a", (string?)lease["spec"]!["holderIdentity"]);
        await Eventually.ValueAsync(() => second.IsLeader ? "leading" : null, "the standby to take the released lease");
    }
}
