using FoodDelivery.OrderProducer.Messages;

namespace FoodDelivery.LocalRun;

/// <summary>What the local run starts and how much load it makes.</summary>
internal sealed class LocalRunOptions
{
    /// <summary>The default run: a compressed 15 s day peaking at 150 orders/s (about 300 orders).</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(15);

    public const double DefaultPeakRate = 150;

    /// <summary>The test mode (--short): a 4 s day peaking at 50 orders/s (about 26 orders).</summary>
    public static readonly TimeSpan ShortDuration = TimeSpan.FromSeconds(4);

    public const double ShortPeakRate = 50;

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
    public TimeSpan AdaptersStartTimeout => AdapterStartTimeout + (AdapterStartTimeout / 2 * (Adapters - 1));

    public int Seed { get; set; } = Random.Shared.Next();

    /// <summary>Start a W3C trace per order and report whether the order service received it (--trace).</summary>
    public bool Trace { get; set; }

    /// <summary>Adapter processes on the one consumer group, as replicas of the adapter Deployment.</summary>
    public int Adapters { get; set; } = 1;

    public const int MaxAdapters = 16;

    /// <summary>Echo the adapter's log lines as they come (otherwise only on failure).</summary>
    public bool Verbose { get; set; }

    public bool UsesEmulator => string.IsNullOrWhiteSpace(Endpoints);
}
