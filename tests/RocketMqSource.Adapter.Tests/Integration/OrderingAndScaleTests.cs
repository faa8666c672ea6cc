using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using Xunit.Abstractions;

namespace RocketMqSource.Adapter.Tests.Integration;

/// <summary>FIFO per message group, replicas sharing a group, and the in-flight bound under a large backlog.</summary>
public class OrderingAndScaleTests(ITestOutputHelper output)
{
    private const string Group = "order-adapter";

    private static int OrderNumber(SinkRequest request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("order").GetInt32();

    [Fact]
    public async Task Messages_of_one_message_group_reach_the_sink_in_order_even_with_retries()
    {
        const string topic = "fifo-orders";
        await using var rocketMq = await EmulatedRocketMq.StartAsync(options => options.FifoTopics.Add(topic));
        var accepted = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var attempts = new ConcurrentDictionary<string, int>();
        await using var sink = await LoopbackSink.StartAsync(async request =>
        {
            // Every seventh message fails its first attempt, and deliveries take a little time, so
            // a scheduler that let a group's later messages overtake would show it.
            var number = OrderNumber(request);
            await Task.Delay(number % 3);
            if (number % 7 == 0 && attempts.AddOrUpdate(request.EventId!, 1, (_, n) => n + 1) == 1)
            {
                return new SinkReply(503);
            }

            accepted.GetOrAdd(request.Header("ce-rocketmqgroup"), _ => new()).Enqueue(number);
            return SinkReply.Accepted;
        });
        string[] customers = ["customer-1", "customer-2", "customer-3", "customer-4"];
        await rocketMq.SendManyAsync(200, i => EmulatedRocketMq.Order(topic, i, group: customers[i % 4]), parallelism: 1);
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, topic, Group);

        await Eventually.WaitAsync(() => rocketMq.Stats(Group, topic) is { Acked: 200, Backlog: 0, InFlight: 0 }, "all acked", TimeSpan.FromSeconds(60));

        foreach (var (customer, index) in customers.Select((c, i) => (c, i)))
        {
            // At-least-once may repeat a message, but none may arrive before all earlier ones of its group.
            var expected = Enumerable.Range(0, 200).Where(n => n % 4 == index).ToList();
            var seen = new HashSet<int>();
            foreach (var number in accepted[customer])
            {
                Assert.True(expected.TakeWhile(n => n < number).All(seen.Contains), $"{customer}: {number} overtook an earlier message ({string.Join(",", accepted[customer])})");
                seen.Add(number);
            }

            Assert.Equal(expected, seen.Order());
        }
    }

    [Fact]
    public async Task Two_replicas_on_one_group_share_the_work_and_lose_nothing()
    {
        const string topic = "orders";
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var first = InProcessAdapter.Start(rocketMq, sink.Uri, topic, Group);
        await using var second = InProcessAdapter.Start(rocketMq, sink.Uri, topic, Group);
        await Eventually.WaitAsync(() => first.Readiness.IsReady && second.Readiness.IsReady, "both replicas consuming");
        var ids = await rocketMq.SendManyAsync(1000, i => EmulatedRocketMq.Order(topic, i));

        await Eventually.WaitAsync(() => rocketMq.Stats(Group, topic) is { Acked: 1000, Backlog: 0, InFlight: 0 }, "all acked", TimeSpan.FromSeconds(60));

        var delivered = sink.Requests.Select(r => r.EventId!).ToList();
        Assert.Equal(ids.ToHashSet(), delivered.ToHashSet());
        var (a, b) = (first.Metrics.Sum("rocketmqsource.events.delivered", "202"), second.Metrics.Sum("rocketmqsource.events.delivered", "202"));
        output.WriteLine($"replica 1 delivered {a}, replica 2 delivered {b}, duplicates {delivered.Count - ids.Length}");
        Assert.True(a > 0 && b > 0, $"both replicas should deliver (got {a} and {b})");
    }

    [Fact]
    public async Task A_large_backlog_never_puts_more_than_max_in_flight_messages_in_the_adapter()
    {
        const string topic = "orders";
        const int count = 20_000;
        const int maxInFlight = 40;
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await rocketMq.SendManyAsync(count, i => EmulatedRocketMq.Order(topic, i), parallelism: 64);
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, topic, Group, [("ROCKETMQ_MAX_IN_FLIGHT", $"{maxInFlight}"), ("ROCKETMQ_BATCH_SIZE", "32")]);

        long largestGauge = 0, largestInFlight = 0;
        await Eventually.WaitAsync(() =>
        {
            var stats = rocketMq.Stats(Group, topic);
            largestInFlight = Math.Max(largestInFlight, stats.InFlight);
            largestGauge = Math.Max(largestGauge, (long)(adapter.Metrics.Observe("rocketmqsource.messages.in_flight") ?? 0));
            return stats is { Acked: count, Backlog: 0, InFlight: 0 };
        }, "the whole backlog acked", TimeSpan.FromSeconds(90));

        output.WriteLine($"{count} messages; largest in-flight seen: emulator {largestInFlight}, adapter gauge {largestGauge} (bound {maxInFlight})");
        Assert.InRange(largestInFlight, 1, maxInFlight);
        Assert.InRange(largestGauge, 1, maxInFlight);
        Assert.Equal(count, sink.Requests.Select(r => r.EventId).Distinct().Count());
    }
}
