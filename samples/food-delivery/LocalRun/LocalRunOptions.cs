using FoodDelivery.OrderProducer.Messages;

namespace FoodDelivery.LocalRun;

/// <summary>What the local run starts and how much load it makes.</summary>
internal sealed class LocalRunOptions
{
    /// <summary>
    /// The default run: a compressed 30 s day peaking at 100 orders/s (about 400 orders); at time
    /// factor 10 it is 5 minutes of the cluster's day, its gaps between meals long enough for KEDA
    /// to take the adapters to zero.
    /// </summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);

    public const double DefaultPeakRate = 100;

    /// <summary>The test mode (--short): a 4 s day peaking at 50 orders/s (about 26 orders).</summary>
    public static readonly TimeSpan ShortDuration = TimeSpan.FromSeconds(4);

    public const double ShortPeakRate = 50;

    /// <summary>The test mode's clock: its 4 s day is 2 minutes of the cluster's, and both are back at zero about 3 s after it.</summary>
    public const double ShortTimeFactor = 30;

    /// <summary>A real RocketMQ 5 proxy (host:port[;host:port]); null starts the embedded emulator.</summary>
    public string? Endpoints { get; set; }

    public string? AccessKey { get; set; }

    /// <summary>Passed to the producer and, as ROCKETMQ_SECRET_KEY, to the adapter; never printed.</summary>
    public string? SecretKey { get; set; }

    public string Topic { get; set; } = "orders";

    /// <summary>The sample's RocketMQSource consumer group and TAG filter (samples/food-delivery/config/600-rocketmqsource.yaml).</summary>
    public string ConsumerGroup { get; set; } = "order-source";

    public string FilterExpression { get; set; } = "PAID || CANCELLED";

    public MessageFormat Format { get; set; } = MessageFormat.Json;

    public TimeSpan Duration { get; set; } = DefaultDuration;

    public double PeakRate { get; set; } = DefaultPeakRate;

    /// <summary>How long to wait after producing ends for the last orders to reach the service.</summary>
    public TimeSpan Drain { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one adapter may take to start consuming.</summary>
    public TimeSpan AdapterStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>N adapters start at once and share this machine's cores: each one more adds half a start's time.</summary>
    public TimeSpan AdaptersStartTimeout => AdapterStartTimeout + (AdapterStartTimeout / 2 * ((Adapters ?? 1) - 1));

    public int Seed { get; set; } = Random.Shared.Next();

    /// <summary>Start a W3C trace per order and report whether the order service received it (--trace).</summary>
    public bool Trace { get; set; }

    /// <summary>
    /// Adapter processes on the one consumer group, fixed, as replicas of the adapter Deployment
    /// (--adapters N); null lets the emulated KEDA scale them on the backlog.
    /// </summary>
    public int? Adapters { get; set; }

    public const int MaxAdapters = 16;

    /// <summary>Order-service instances, fixed (--instances N); null lets the emulated Knative autoscaler scale them.</summary>
    public int? Instances { get; set; }

    public const int MaxInstances = 16;

    /// <summary>
    /// The most order-service instances the emulated Knative autoscaler starts: the manifest says
    /// max-scale 10, one 2-core machine runs 4 processes of it comfortably.
    /// </summary>
    public const int MaxScaledInstances = 4;

    /// <summary>The source's autoscaling.eventing.knative.dev/lag-threshold: backlog per adapter replica (null: the sample's 50).</summary>
    public int? LagThreshold { get; set; }

    /// <summary>Cluster seconds per real second: Knative's and KEDA's time constants run this much faster (--time-factor).</summary>
    public double TimeFactor { get; set; } = DefaultTimeFactor;

    public const double DefaultTimeFactor = 10;

    /// <summary>Where the run writes its chart (PNG).</summary>
    public string ChartPath { get; set; } = Path.Combine(Path.GetTempPath(), "food-delivery-local-run.png");

    /// <summary>Echo the adapter's log lines as they come (otherwise only on failure).</summary>
    public bool Verbose { get; set; }

    public bool UsesEmulator => string.IsNullOrWhiteSpace(Endpoints);
}
