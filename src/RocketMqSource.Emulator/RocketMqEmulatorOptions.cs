namespace RocketMqSource.Emulator;

/// <summary>Settings of one emulator instance. Defaults follow the open-source RocketMQ 5 proxy.</summary>
public sealed class RocketMqEmulatorOptions
{
    /// <summary>host:port to listen on; port 0 picks a free port (read it back from <see cref="RocketMqEmulator.Endpoint"/>).</summary>
    public string Listen { get; set; } = "127.0.0.1:8081";

    /// <summary>Queues per topic (the proxy's route answer lists this many).</summary>
    public int QueuesPerTopic { get; set; } = 8;

    /// <summary>Topics that accept FIFO messages only; their consumer groups pop orderly.</summary>
    public IList<string> FifoTopics { get; } = [];

    /// <summary>Consumer groups that pop orderly on every topic (the group's consumeMessageOrderly flag).</summary>
    public IList<string> FifoGroups { get; } = [];

    /// <summary>
    /// False behaves like a production broker with <c>autoCreateTopicEnable=false</c>: only
    /// <see cref="Topics"/> (and FIFO topics) exist, and a route query or send for any other topic
    /// is answered TOPIC_NOT_FOUND (40402), as the proxy does. True (the default) creates topics on first use.
    /// </summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Topics that exist from the start (the only ones when <see cref="AutoCreateTopics"/> is false).</summary>
    public IList<string> Topics { get; } = [];

    /// <summary>When both keys are set every request must carry a valid MQv2-HMAC-SHA1 signature.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret key for the signature check; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Deliveries before a message goes to %DLQ%group (proxy default: 16 retries + 1).</summary>
    public int MaxDeliveryAttempts { get; set; } = 17;

    /// <summary>Smallest invisible duration ReceiveMessage accepts (proxy: 10 s). Lower it only in tests.</summary>
    public TimeSpan MinInvisibleDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Smallest long-polling time (proxy: 5 s). Lower it only in tests.</summary>
    public TimeSpan MinLongPollingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest long-polling time (proxy: 20 s).</summary>
    public TimeSpan MaxLongPollingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long after a group's last receive /metrics still reports its backlog gauges: the broker
    /// forgets a POP group with no consumer online that long after its last POP (apache/rocketmq
    /// BrokerConfig.subscriptionExpiredTimeout, 10 min; ConsumerManager.removeExpireConsumerGroupInfo).
    /// </summary>
    public TimeSpan SubscriptionExpiredTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Clock for visibility, delays and sessions; tests may pass their own.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
