using FoodDelivery.LocalRun.Serving;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// The KPA reconciler's road to zero against knative/serving
/// pkg/reconciler/autoscaling/kpa/scaler_test.go TestScaler (its test config: stable window
/// 5 min, grace period 60 s, progress deadline 121 s), and the Active condition of kpa.go
/// computeActiveCondition.
/// </summary>
public sealed class PodAutoscalerTests
{
    private static readonly TimeSpan StableWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(121 + 30);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string, TimeSpan, int, int, TimeSpan, TimeSpan, int, bool> Examples => new()
    {
        // label, condition, for how long, decider's number, min-scale, last-pod retention, activator in path for, want, apply
        { "waits to scale to zero (just before idle period)", "Active", StableWindow - Second, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 1, true },
        { "waits to scale to zero after idle period (marked inactive, not applied)", "Active", StableWindow, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, false },
        { "can scale to zero after grace period, but 0 PA retention", "Inactive", GracePeriod, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, true },
        { "can't scale to zero after grace period, but before last pod retention", "Inactive", GracePeriod, 0, 0, 2 * GracePeriod, TimeSpan.Zero, 0, false },
        { "scale to zero after grace period, and after last pod retention", "Inactive", GracePeriod, 0, 0, GracePeriod, TimeSpan.Zero, 0, true },
        { "scale to zero after grace period", "Inactive", GracePeriod, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, true },
        { "waits to scale to zero (just before grace period)", "Inactive", GracePeriod - Second, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, false },
        { "waits to scale to zero (just before grace period, sks short)", "Inactive", GracePeriod - Second, 0, 0, TimeSpan.Zero, GracePeriod - Second, 0, false },
        { "just before grace period, sks in proxy long, last pod timeout positive", "Inactive", GracePeriod - Second, 0, 0, TimeSpan.FromSeconds(42), GracePeriod, 0, true },
        { "waits to scale to zero (just before grace period, sks in proxy long)", "Inactive", GracePeriod - Second, 0, 0, TimeSpan.Zero, GracePeriod, 0, true },
        { "waits to scale to zero while activating until after deadline exceeded", "Activating", ActivationTimeout / 2, 0, 0, TimeSpan.Zero, TimeSpan.Zero, -1, false },
        { "scale to zero while activating after deadline exceeded", "Activating", ActivationTimeout + Second, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, true },
        { "scale down to minScale before grace period", "Inactive", GracePeriod - Second, 0, 2, TimeSpan.Zero, TimeSpan.Zero, 2, true },
        { "scale down to minScale after grace period", "Inactive", GracePeriod, 0, 2, TimeSpan.Zero, TimeSpan.Zero, 2, true },
        { "a number other than zero is applied at once", "Active", Second, 7, 0, TimeSpan.Zero, TimeSpan.Zero, 7, true },
        { "metrics not collected yet: nothing applied", "Active", Second, -1, 0, TimeSpan.Zero, TimeSpan.Zero, -1, false },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_scale_matches_knatives_worked_example(
        string label, string activity, TimeSpan forHowLong, int desired, int minScale, TimeSpan retention, TimeSpan activatorInPath, int want, bool apply)
    {
        var clock = new ManualClock();
        var condition = new ActiveCondition(Enum.Parse<Activity>(activity), clock.GetUtcNow());
        clock.Advance(forHowLong);
        var settings = new KpaSettings
        {
            StableWindow = StableWindow,
            ScaleToZeroGracePeriod = GracePeriod,
            ScaleToZeroPodRetention = retention,
            ActivationTimeout = ActivationTimeout,
            MinScale = minScale,
        };

        var decision = PodAutoscaler.Scale(settings, condition, desired, activatorInPath, clock.GetUtcNow());

        Assert.True(new ScaleDecision(want, apply) == decision, $"{label}: got {decision}");
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 3, 3)]
    [InlineData(2, 0, 2)]
    [InlineData(0, 15, 10)]
    public void Bounds_are_min_scale_and_max_scale(int min, int desired, int bounded)
    {
        Assert.Equal(bounded, PodAutoscaler.ApplyBounds(min, 10, desired));
    }

    [Fact]
    public void Max_scale_zero_means_no_upper_bound()
    {
        Assert.Equal(500, PodAutoscaler.ApplyBounds(0, 0, 500));
    }

    [Theory]
    [InlineData("Active", 1, 0, "Inactive")]
    [InlineData("Activating", 0, 0, "Inactive")]
    [InlineData("Inactive", 0, 1, "Activating")]
    [InlineData("Activating", 1, 1, "Active")]
    [InlineData("Inactive", 1, 2, "Active")]
    [InlineData("Inactive", 0, -1, "Inactive")]
    [InlineData("Active", 0, -1, "Activating")]
    public void The_active_condition_follows_ready_and_wanted_instances(string beforeName, int ready, int want, string afterName)
    {
        var (before, after) = (Enum.Parse<Activity>(beforeName), Enum.Parse<Activity>(afterName));
        var clock = new ManualClock();
        var condition = new ActiveCondition(before, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));

        var next = PodAutoscaler.ComputeActive(condition, ready, want, clock.GetUtcNow());

        Assert.Equal(after, next.Activity);
        Assert.Equal(before == after ? condition.Since : clock.GetUtcNow(), next.Since);
    }

    [Fact]
    public void The_sample_service_reaches_zero_a_stable_window_plus_the_last_pod_retention_after_its_last_request()
    {
        var settings = KpaSettings.ForOrderService();
        var clock = new ManualClock();
        var condition = new ActiveCondition(Activity.Active, clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        var activatorSince = clock.GetUtcNow() - TimeSpan.FromMinutes(10);

        // A stable window after the last request the decider wants 0: the revision is marked inactive, one instance stays.
        clock.Advance(settings.StableWindow);
        var first = PodAutoscaler.Scale(settings, condition, 0, clock.GetUtcNow() - activatorSince, clock.GetUtcNow());
        Assert.Equal(new ScaleDecision(0, false), first);
        condition = PodAutoscaler.ComputeActive(condition, 1, first.Want, clock.GetUtcNow());
        Assert.Equal(Activity.Inactive, condition.Activity);

        clock.Advance(settings.ScaleToZeroPodRetention - Second);
        Assert.Equal(new ScaleDecision(0, false), PodAutoscaler.Scale(settings, condition, 0, clock.GetUtcNow() - activatorSince, clock.GetUtcNow()));

        clock.Advance(Second);
        Assert.Equal(new ScaleDecision(0, true), PodAutoscaler.Scale(settings, condition, 0, clock.GetUtcNow() - activatorSince, clock.GetUtcNow()));
    }
}
