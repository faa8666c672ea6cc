using FoodDelivery.LocalRun.Keda;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// The HPA KEDA drives, against kubernetes/kubernetes
/// pkg/controller/podautoscaler/replica_calculator_test.go (the per-pod external metric cases)
/// and the rules of horizontal.go with no spec.behavior: the 5-minute scale-down
/// stabilisation, the scale-up limit max(2 x current, 4), and min/max replicas.
/// </summary>
public sealed class HorizontalPodAutoscalerTests
{
    private static readonly ScaledObjectSettings Sample = ScaledObjectSettings.ForOrderSource();

    [Theory]
    [InlineData("TestReplicaCalcScaleUpPerPodCMExternal", 3, 8.6, 2.15, 4)]
    [InlineData("TestReplicaCalcScaleDownPerPodCMExternal", 5, 8.6, 2.867, 3)]
    [InlineData("TestReplicaCalcTolerancePerPodCMExternal", 3, 8.6, 2.9, 3)]
    [InlineData("backlog 120 at 50 per replica", 1, 120, 50, 3)]
    [InlineData("backlog 54 at 50 per replica: within 10 %", 1, 54, 50, 1)]
    [InlineData("backlog 56 at 50 per replica: beyond 10 %", 1, 56, 50, 2)]
    public void The_replicas_for_an_average_value_target_match_kubernetes(string label, int pods, double total, double perPod, int replicas)
    {
        Assert.True(replicas == HorizontalPodAutoscaler.ExternalPerPodReplicas(pods, total, perPod, 0.1), label);
    }

    [Fact]
    public void At_zero_replicas_it_does_nothing_zero_is_kedas()
    {
        var hpa = new HorizontalPodAutoscaler(Sample);

        Assert.Null(hpa.Sync(specReplicas: 0, statusReplicas: 0, Backlog(500), new ManualClock().GetUtcNow()));
    }

    [Fact]
    public void A_scale_up_is_limited_to_twice_the_replicas_or_four()
    {
        var clock = new ManualClock();

        Assert.Equal(4, new HorizontalPodAutoscaler(Sample).Sync(1, 1, Backlog(400), clock.GetUtcNow()));
        Assert.Equal(3, new HorizontalPodAutoscaler(Sample).Sync(1, 1, Backlog(150), clock.GetUtcNow()));
        Assert.Equal(5, new HorizontalPodAutoscaler(Sample with { MaxReplicaCount = 20 }).Sync(3, 3, Backlog(250), clock.GetUtcNow()));
        Assert.Equal(12, new HorizontalPodAutoscaler(Sample with { MaxReplicaCount = 20 }).Sync(6, 6, Backlog(2000), clock.GetUtcNow()));
    }

    [Fact]
    public void A_scale_down_waits_for_the_highest_recommendation_to_leave_the_stabilisation_window()
    {
        var clock = new ManualClock();
        var hpa = new HorizontalPodAutoscaler(Sample);
        Assert.Equal(4, hpa.Sync(1, 1, Backlog(200), clock.GetUtcNow()));

        for (var i = 0; i < 20; i++)
        {
            clock.Advance(Sample.HpaSyncPeriod);
            Assert.Null(hpa.Sync(4, 4, Backlog(0), clock.GetUtcNow()));
        }

        clock.Advance(Sample.HpaSyncPeriod);
        Assert.Equal(1, hpa.Sync(4, 4, Backlog(0), clock.GetUtcNow()));
    }

    [Fact]
    public void The_replicas_it_finds_at_its_first_sync_count_as_a_recommendation()
    {
        var clock = new ManualClock();
        var hpa = new HorizontalPodAutoscaler(Sample);

        Assert.Null(hpa.Sync(3, 3, Backlog(0), clock.GetUtcNow()));
        clock.Advance(Sample.HpaDownscaleStabilization + TimeSpan.FromSeconds(1));
        Assert.Equal(1, hpa.Sync(3, 3, Backlog(0), clock.GetUtcNow()));
    }

    [Fact]
    public void Replicas_above_max_are_brought_to_max()
    {
        Assert.Equal(5, new HorizontalPodAutoscaler(Sample).Sync(7, 7, Backlog(0), new ManualClock().GetUtcNow()));
    }

    /// <summary>
    /// Several metrics: the highest proposal wins (horizontal.go computeReplicasForMetrics). The
    /// wake trigger's 0 or 1 at target 1 proposes at most one replica, so above one the backlog decides.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 1, 1)]
    [InlineData(0, 1, 1, 1)]
    [InlineData(160, 1, 1, 4)]
    [InlineData(160, 0, 1, 4)]
    public void With_the_wake_trigger_the_highest_proposal_wins(double backlog, double wake, int replicas, int? scaledTo)
    {
        var clock = new ManualClock();
        var hpa = new HorizontalPodAutoscaler(Sample);

        Assert.Equal(scaledTo == replicas ? null : scaledTo, hpa.Sync(replicas, replicas, [(backlog, Sample.Threshold), (wake, Sample.WakeThreshold)], clock.GetUtcNow()));
    }

    [Fact]
    public void An_active_wake_trigger_holds_one_replica_not_more()
    {
        var clock = new ManualClock();
        var hpa = new HorizontalPodAutoscaler(Sample);
        (double, double)[] drainedWithNewMessages = [(0, Sample.Threshold), (1, Sample.WakeThreshold)];

        Assert.Null(hpa.Sync(4, 4, drainedWithNewMessages, clock.GetUtcNow()));
        clock.Advance(Sample.HpaDownscaleStabilization + TimeSpan.FromSeconds(1));
        Assert.Equal(1, hpa.Sync(4, 4, drainedWithNewMessages, clock.GetUtcNow()));
    }

    private static (double Value, double Target)[] Backlog(double value) => [(value, Sample.Threshold)];
}
