using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Reads the message ids RocketMQ moved to a group's %DLQ% topic (with a consumer group of its own).</summary>
internal static class DeadLetterQueueReader
{
    public static async Task<HashSet<string>> ReadIdsAsync(EmulatedRocketMq rocketMq, string group, int expected)
    {
        await using var consumer = await new SimpleConsumer.Builder()
            .SetClientConfig(rocketMq.ClientConfig())
            .SetConsumerGroup("dlq-reader")
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["%DLQ%" + group] = FilterExpression.SubAll })
            .BuildAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (ids.Count < expected && DateTime.UtcNow < deadline)
        {
            var views = await consumer.ReceiveAsync(32, TimeSpan.FromSeconds(30));
            foreach (var view in views)
            {
                ids.Add(view.MessageId);
            }

            if (views.Count > 0)
            {
                await consumer.AckAsync(views.ToList());
            }
        }

        return ids;
    }
}
