using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// The proxy's answer to a client's settings: the client's own settings overlaid with the
/// server-side values (producer retry policy and limits; consumer batch, polling, ordering,
/// retry policy and metrics).
/// </summary>
internal static class SettingsMerger
{
    public const int ConsumerBatchSize = 32;
    public static readonly TimeSpan ConsumerLongPolling = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan[] ConsumerBackoff =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(8),
        TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2),
    ];

    /// <param name="client">Settings the client wrote on its telemetry stream.</param>
    /// <param name="isOrderly">Whether the group pops orderly on the given topic.</param>
    /// <param name="maxAttempts">The group's delivery attempts before dead-lettering.</param>
    public static Settings Merge(Settings client, Func<string, IEnumerable<string>, bool> isOrderly, Func<string, int> maxAttempts)
    {
        var merged = client.Clone();
        switch (client.PubSubCase)
        {
            case Settings.PubSubOneofCase.Publishing:
                merged.BackoffPolicy = new RetryPolicy
                {
                    MaxAttempts = client.BackoffPolicy is { MaxAttempts: > 0 } own ? own.MaxAttempts : 3,
                    ExponentialBackoff = new ExponentialBackoff
                    {
                        Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)),
                        Max = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                        Multiplier = 2,
                    },
                };
                merged.Publishing.ValidateMessageType = true;
                merged.Publishing.MaxBodySize = MessageValidator.MaxBodySize;
                break;
            case Settings.PubSubOneofCase.Subscription:
                var subscription = merged.Subscription;
                var group = subscription.Group?.Name ?? string.Empty;
                var topics = subscription.Subscriptions.Select(entry => entry.Topic?.Name ?? string.Empty);
                subscription.ReceiveBatchSize = ConsumerBatchSize;
                subscription.LongPollingTimeout = Duration.FromTimeSpan(ConsumerLongPolling);
                subscription.Fifo = isOrderly(group, topics);
                var backoff = new CustomizedBackoff();
                backoff.Next.AddRange(ConsumerBackoff.Select(Duration.FromTimeSpan));
                merged.BackoffPolicy = new RetryPolicy { MaxAttempts = maxAttempts(group), CustomizedBackoff = backoff };
                merged.Metric = new Metric { On = false };
                break;
        }

        return merged;
    }
}
