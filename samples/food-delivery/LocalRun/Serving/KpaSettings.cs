namespace FoodDelivery.LocalRun.Serving;

/// <summary>What the Knative Pod Autoscaler scales on: in-flight requests per instance, or requests per second.</summary>
internal enum KpaMetric
{
    Concurrency,
    Rps,
}

/// <summary>
/// The Knative Pod Autoscaler's settings for one revision: knative/serving's config-autoscaler
/// defaults (pkg/autoscaler/config/config.go defaultConfig) with the revision's annotations laid
/// over them. <see cref="ForOrderService"/> is the sample's order service
/// (samples/food-delivery/config/400-order-service.yaml; a test keeps the two equal). Every
/// duration here is cluster time: the local run compresses the clock, not these values.
/// </summary>
internal sealed record KpaSettings
{
    /// <summary>autoscaling.knative.dev/metric (default concurrency).</summary>
    public KpaMetric Metric { get; init; } = KpaMetric.Concurrency;

    /// <summary>autoscaling.knative.dev/target: per instance (defaults: container-concurrency-target-default 100, requests-per-second-target-default 200).</summary>
    public double Target { get; init; } = 100;

    /// <summary>Share of the target aimed for (container-concurrency-target-percentage 70 %, defaultTargetUtilization 0.7).</summary>
    public double TargetUtilization { get; init; } = 0.7;

    /// <summary>max-scale-up-rate: at most this many times the ready instances in one decision.</summary>
    public double MaxScaleUpRate { get; init; } = 1000;

    /// <summary>max-scale-down-rate: at least ready / this many instances are kept in one decision.</summary>
    public double MaxScaleDownRate { get; init; } = 2;

    /// <summary>panic-threshold-percentage 200: panic when the panic window wants twice the ready instances.</summary>
    public double PanicThreshold { get; init; } = 2.0;

    /// <summary>panic-window-percentage: the panic window as a share of the stable window.</summary>
    public double PanicWindowPercentage { get; init; } = 10;

    /// <summary>stable-window (autoscaling.knative.dev/window).</summary>
    public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>scale-to-zero-grace-period: how long the activator must have been in the path before the last instance goes.</summary>
    public TimeSpan ScaleToZeroGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>scale-to-zero-pod-retention-period: the least time the last instance is kept after the revision went inactive.</summary>
    public TimeSpan ScaleToZeroPodRetention { get; init; } = TimeSpan.Zero;

    /// <summary>min-scale and max-scale (0: no upper bound).</summary>
    public int MinScale { get; init; }

    public int MaxScale { get; init; }

    /// <summary>
    /// How long a revision may stay activating before it is given up and scaled to zero:
    /// config-deployment's progress-deadline (600 s, pkg/deployment/config.go) plus the KPA's
    /// activationTimeoutBuffer (30 s, pkg/reconciler/autoscaling/kpa/scaler.go).
    /// </summary>
    public TimeSpan ActivationTimeout { get; init; } = TimeSpan.FromSeconds(630);

    /// <summary>How often the decider runs (pkg/autoscaler/scaling/multiscaler.go tickInterval).</summary>
    public static TimeSpan TickInterval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>How often instances are scraped (pkg/autoscaler/metrics/collector.go scrapeTickInterval), and the bucket size (config.go BucketSize).</summary>
    public static TimeSpan ScrapeInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Target value per instance: target x utilization, at least 0.01
    /// (pkg/reconciler/autoscaling/resources/target.go ResolveMetricTarget; autoscaling.TargetMin).
    /// </summary>
    public double TargetValue => Math.Max(0.01, Target * TargetUtilization);

    /// <summary>The panic window: a share of the stable window, whole seconds, at least one bucket (resources/metric.go MakeMetric).</summary>
    public TimeSpan PanicWindow
    {
        get
        {
            var seconds = Math.Round(StableWindow.TotalSeconds * PanicWindowPercentage / 100, MidpointRounding.AwayFromZero);
            var window = TimeSpan.FromSeconds(seconds);
            return window < ScrapeInterval ? ScrapeInterval : window;
        }
    }

    /// <summary>
    /// The sample's order service: rps, target 5 at 70 %, 60 s window, 30 s last-pod retention,
    /// min-scale 0, max-scale 10 (<paramref name="maxScale"/> lowers it for one machine).
    /// </summary>
    public static KpaSettings ForOrderService(int maxScale = 10) => new()
    {
        Metric = KpaMetric.Rps,
        Target = 5,
        TargetUtilization = 0.7,
        StableWindow = TimeSpan.FromSeconds(60),
        ScaleToZeroPodRetention = TimeSpan.FromSeconds(30),
        MinScale = 0,
        MaxScale = maxScale,
    };
}
