using FoodDelivery.LocalRun.Keda;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// KEDA's 0 ↔ 1 against kedacore/keda pkg/scaling/executor/scale_scaledobjects_test.go (the
/// first three cases) and the cooldown rule of scale_scaledobjects.go scaleToZeroOrIdle, and
/// the prometheus trigger's activation (pkg/scalers/prometheus_scaler.go).
/// </summary>
public sealed class KedaScaleExecutorTests
{
    private static readonly ScaledObjectSettings Sample = ScaledObjectSettings.ForOrderSource();

    [Fact]
    public void An_inactive_trigger_scales_ten_replicas_to_min_zero_when_it_was_never_active() // TestScaleToMinReplicasWhenNotActive
    {
        var clock = new ManualClock();
        var status = new ScaledObjectStatus(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));

        var decision = KedaScaleExecutor.RequestScale(Sample, status, currentReplicas: 10, isActive: false, clock.GetUtcNow());

        Assert.Equal(0, decision.ScaleTo);
        Assert.Null(decision.Status.LastActiveTime);
    }

    [Fact]
    public void An_inactive_trigger_brings_a_target_below_min_replicas_up_to_it() // TestScaleToMinReplicasFromLowerInitialReplicaCount
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample with { MinReplicaCount = 5 }, new ScaledObjectStatus(clock.GetUtcNow()), 1, false, clock.GetUtcNow());

        Assert.Equal(5, decision.ScaleTo);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 2)]
    public void An_active_trigger_takes_a_target_at_zero_to_max_of_min_replicas_and_one(int minReplicas, int scaledTo) // TestScaleFromMinReplicasWhenActive
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample with { MinReplicaCount = minReplicas }, new ScaledObjectStatus(clock.GetUtcNow()), 0, true, clock.GetUtcNow());

        Assert.Equal(scaledTo, decision.ScaleTo);
        Assert.Equal(clock.GetUtcNow(), decision.Status.LastActiveTime);
    }

    [Fact]
    public void Above_zero_an_active_trigger_leaves_the_replicas_to_the_hpa_and_refreshes_last_active_time()
    {
        var clock = new ManualClock();
        var status = new ScaledObjectStatus(clock.GetUtcNow(), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(10));

        var decision = KedaScaleExecutor.RequestScale(Sample, status, 3, true, clock.GetUtcNow());

        Assert.Null(decision.ScaleTo);
        Assert.Equal(clock.GetUtcNow(), decision.Status.LastActiveTime);
    }

    [Fact]
    public void After_being_active_it_scales_to_zero_from_any_count_only_once_the_cooldown_has_passed()
    {
        var clock = new ManualClock();
        var status = KedaScaleExecutor.RequestScale(Sample, new ScaledObjectStatus(clock.GetUtcNow()), 3, true, clock.GetUtcNow()).Status;

        clock.Advance(Sample.CooldownPeriod);
        Assert.Null(KedaScaleExecutor.RequestScale(Sample, status, 3, false, clock.GetUtcNow()).ScaleTo);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, KedaScaleExecutor.RequestScale(Sample, status, 3, false, clock.GetUtcNow()).ScaleTo);
    }

    [Fact]
    public void At_zero_an_inactive_trigger_changes_nothing()
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample, new ScaledObjectStatus(clock.GetUtcNow() - TimeSpan.FromHours(1)), 0, false, clock.GetUtcNow());

        Assert.Null(decision.ScaleTo);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(0, 1, true)]
    [InlineData(50, 50, false)]
    [InlineData(50, 51, true)]
    public void The_trigger_is_active_above_its_activation_threshold(double activationThreshold, double backlog, bool active)
    {
        Assert.Equal(active, KedaScaleExecutor.IsActive(backlog, Sample with { ActivationThreshold = activationThreshold }));
    }
}
