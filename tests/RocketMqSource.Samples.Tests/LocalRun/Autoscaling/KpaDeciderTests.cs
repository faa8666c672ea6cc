using FoodDelivery.LocalRun.Serving;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// The Knative decider against the worked examples of knative/serving
/// pkg/autoscaler/scaling/autoscaler_test.go (its test spec: scale-up and scale-down rates 10,
/// panic threshold 200 %, stable window 60 s; the target value given directly).
/// </summary>
public sealed class KpaDeciderTests
{
    private static KpaSettings Spec(double targetValue, double maxScaleUpRate = 10, double maxScaleDownRate = 10) => new()
    {
        Target = targetValue,
        TargetUtilization = 1,
        MaxScaleUpRate = maxScaleUpRate,
        MaxScaleDownRate = maxScaleDownRate,
        PanicThreshold = 2,
        StableWindow = TimeSpan.FromSeconds(60),
    };

    public static TheoryData<string, double, double, double, int, double, double, bool, int> Examples => new()
    {
        // label, target, scale-up rate, scale-down rate, ready, stable, panic, already panicking (5 pods, 5 s ago), wanted
        { "AutoscalerNoDataAtZeroNoAutoscale", 10, 10, 10, 1, 0, 0, false, 0 },
        { "AutoscalerStableModeNoChange", 10, 10, 10, 1, 50, 50, false, 5 },
        { "AutoscalerPanicStableLargerThanPanic (stable value used)", 1, 10, 10, 5, 50, 30, true, 50 },
        { "AutoscalerPanicStableLessThanPanic (panic value used)", 1, 10, 10, 5, 20, 30, true, 30 },
        { "AutoscalerStableModeNoChangeAlreadyScaled", 10, 10, 10, 5, 50, 50, false, 5 },
        { "AutoscalerStableModeIncreaseWithSmallScaleUpRate", 1, 1.1, 10, 2, 3, 3.1, false, 3 },
        { "AutoscalerStableModeDecreaseWithSmallScaleDownRate", 10, 10, 1.1, 100, 1, 1, false, 90 },
        { "AutoscalerPanicModeDoublePodCount (panic takes precedence)", 10, 10, 10, 1, 50, 100, false, 10 },
        { "AutoscalerStableModeIncreaseWithConcurrencyDefault", 10, 10, 10, 1, 50, 10, false, 5 },
        { "AutoscalerStableModeIncreaseWithRPS", 10, 10, 10, 1, 50, 50, false, 5 },
        { "AutoscalerStableModeDecrease", 10, 10, 10, 8, 50, 50, false, 5 },
        { "AutoscalerStableModeNoTrafficScaleToZero", 10, 10, 10, 1, 0, 0, false, 0 },
        { "AutoscalerRateLimitScaleUp (needs 100, x10 at most)", 10, 10, 10, 1, 1000, 1001, false, 10 },
        { "AutoscalerRateLimitScaleDown (needs 1, /10 at most)", 10, 10, 10, 100, 1, 1, false, 10 },
        { "AutoscalerUseOnePodAsMinimumIfEndpointsNotFound", 10, 10, 10, 0, 1000, 888, false, 10 },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void One_decision_matches_knatives_worked_example(
        string label, double target, double scaleUpRate, double scaleDownRate, int ready, double stable, double panic, bool panicking, int wanted)
    {
        var clock = new ManualClock();
        var decider = new KpaDecider(Spec(target, scaleUpRate, scaleDownRate), clock.GetUtcNow(), readyAtStart: panicking ? 5 : 0);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(wanted == decider.Scale(clock.GetUtcNow(), ready, stable, panic), label);
    }

    [Fact]
    public void Panic_holds_the_pods_until_a_stable_window_has_passed_then_scales_down() // TestAutoscalerPanicThenUnPanicScaleDown
    {
        var clock = new ManualClock();
        var decider = new KpaDecider(Spec(10), clock.GetUtcNow());
        Assert.Equal(10, decider.Scale(clock.GetUtcNow(), 1, 100, 100));

        var panicTime = clock.GetUtcNow();
        Assert.Equal(100, decider.Scale(panicTime, 10, 100, 1000));

        // Traffic dropped off; the scale stays while panicking.
        clock.Set(panicTime.AddSeconds(30));
        Assert.Equal(100, decider.Scale(clock.GetUtcNow(), 10, 1, 1));
        Assert.NotNull(decider.PanicSince);

        clock.Set(panicTime.AddSeconds(61));
        Assert.Equal(1, decider.Scale(clock.GetUtcNow(), 10, 1, 1));
        Assert.Null(decider.PanicSince);
    }

    [Fact]
    public void Panic_ends_after_a_slow_increase_reaches_the_stable_window() // TestAutoscalerUnpanicAfterSlowIncrease
    {
        var clock = new ManualClock();
        var decider = new KpaDecider(Spec(1), clock.GetUtcNow());
        var start = clock.GetUtcNow();
        Assert.Equal(25, decider.Scale(start, 10, 11, 25));
        Assert.Equal(start, decider.PanicSince);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(41, decider.Scale(clock.GetUtcNow(), 40, 30, 41));
        Assert.Equal(start, decider.PanicSince);

        clock.Advance(TimeSpan.FromSeconds(30) + KpaSettings.TickInterval);
        Assert.Equal(50, decider.Scale(clock.GetUtcNow(), 55, 50, 56));
        Assert.Null(decider.PanicSince);
    }

    [Fact]
    public void A_surge_still_at_twice_the_pods_extends_the_panic() // TestAutoscalerExtendPanicWindow
    {
        var clock = new ManualClock();
        var decider = new KpaDecider(Spec(1), clock.GetUtcNow());
        Assert.Equal(25, decider.Scale(clock.GetUtcNow(), 10, 11, 25));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(80, decider.Scale(clock.GetUtcNow(), 40, 30, 80));
        Assert.Equal(clock.GetUtcNow(), decider.PanicSince);
    }

    [Fact]
    public void Exponential_traffic_is_tracked_in_panic_and_stabilises() // TestAutoscalerPanicModeExponentialTrackAndStabilize
    {
        var clock = new ManualClock();
        var decider = new KpaDecider(Spec(1), clock.GetUtcNow());
        Assert.Equal(6, decider.Scale(clock.GetUtcNow(), 1, 6, 6));
        Assert.Equal(36, decider.Scale(clock.GetUtcNow(), 6, 36, 36));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(216, decider.Scale(clock.GetUtcNow(), 36, 216, 216));
        Assert.Equal(1296, decider.Scale(clock.GetUtcNow(), 216, 1296, 1296));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1296, decider.Scale(clock.GetUtcNow(), 1296, 1296, 1296));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void A_decider_created_over_more_than_one_ready_pod_starts_in_panic(int ready, bool panicking) // TestStartInPanicMode
    {
        var clock = new ManualClock();

        var decider = new KpaDecider(Spec(100), clock.GetUtcNow(), ready);

        Assert.Equal(panicking, decider.PanicSince is not null);
    }

    [Fact]
    public void The_sample_service_wants_one_instance_per_3_5_requests_per_second()
    {
        var settings = KpaSettings.ForOrderService();
        var clock = new ManualClock();
        var decider = new KpaDecider(settings, clock.GetUtcNow());

        Assert.Equal(3.5, settings.TargetValue, 6);
        Assert.Equal(TimeSpan.FromSeconds(6), settings.PanicWindow);
        Assert.Equal(3, decider.Scale(clock.GetUtcNow(), 3, 10, 10));
        Assert.Equal(3, decider.Scale(clock.GetUtcNow(), 3, 10.5, 10.5));
        Assert.Equal(4, decider.Scale(clock.GetUtcNow(), 3, 10.6, 10.6));
    }
}
