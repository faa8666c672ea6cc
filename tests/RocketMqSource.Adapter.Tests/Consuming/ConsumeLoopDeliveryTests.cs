using System.Collections.Concurrent;
using System.Text;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Consuming;

public class ConsumeLoopDeliveryTests
{
    [Fact]
    public async Task Every_message_is_delivered_once_and_acked()
    {
        var source = new PopMessageSource();
        var ids = Enumerable.Range(0, 120).Select(i => $"m{i}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            source.Publish(ids[i], i % 3 == 0 ? null : $"g{i % 7}");
        }

        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, []);

        await Eventually.WaitAsync(() => source.AckedCount == ids.Count, "all messages acked");
        await consumer.StopAsync();

        Assert.Equal(ids.Order(), sink.Requests.Select(r => r.EventId!).Order());
        Assert.All(ids, id => Assert.Equal(1, source.Deliveries(id)));
        Assert.Equal(120, consumer.Metrics.Sum("messaging.client.consumed.messages"));
        Assert.Equal(120, consumer.Metrics.Sum("rocketmqsource.events.delivered", "202"));
        Assert.Equal(0, consumer.Metrics.Observe("rocketmqsource.messages.in_flight"));
        Assert.Equal(0, source.RefusedAcks);
        Assert.True(source.AckRequests < ids.Count, $"{source.AckRequests} ack requests for {ids.Count} messages: acks are batched");
        Assert.InRange(source.LargestAckRequest, 2, 32); // at most one receive batch (default ROCKETMQ_BATCH_SIZE 32)
        Assert.False(source.Disposed, "the loop does not dispose the source; the host does");
    }

    [Fact]
    public async Task Messages_of_a_group_arrive_in_order_one_at_a_time_while_groups_run_in_parallel()
    {
        var source = new PopMessageSource();
        var published = new Dictionary<string, List<string>>();
        for (var i = 0; i < 60; i++)
        {
            var group = $"order-{i % 4}";
            var id = $"{group}/{i}";
            source.Publish(id, group);
            published.TryAdd(group, []);
            published[group].Add(id);
        }

        var active = new ConcurrentDictionary<string, int>();
        var overlapsInGroup = 0;
        var concurrent = 0;
        var maxConcurrent = 0;
        await using var sink = await LoopbackSink.StartAsync(async request =>
        {
            var group = request.Header("ce-rocketmqgroup");
            if (active.AddOrUpdate(group, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlapsInGroup);
            }

            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await Task.Delay(Random.Shared.Next(1, 15));
            Interlocked.Decrement(ref concurrent);
            active.AddOrUpdate(group, 0, (_, n) => n - 1);
            return SinkReply.Accepted;
        });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, []);

        await Eventually.WaitAsync(() => source.AckedCount == 60, "all messages acked");

        Assert.Equal(0, overlapsInGroup);
        Assert.True(maxConcurrent > 1, "different groups are delivered in parallel");
        foreach (var (group, ids) in published)
        {
            Assert.Equal(ids, sink.Requests.Where(r => r.Header("ce-rocketmqgroup") == group).Select(r => r.EventId!));
        }
    }

    [Fact]
    public async Task Unordered_mode_delivers_a_group_in_parallel()
    {
        var source = new PopMessageSource();
        for (var i = 0; i < 20; i++)
        {
            source.Publish($"u{i}", "one-group");
        }

        var concurrent = 0;
        var maxConcurrent = 0;
        var gate = new TaskCompletionSource();
        await using var sink = await LoopbackSink.StartAsync(async _ =>
        {
            InterlockedMax(ref maxConcurrent, Interlocked.Increment(ref concurrent));
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Interlocked.Decrement(ref concurrent);
            return SinkReply.Accepted;
        });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("ROCKETMQ_ORDERING", "unordered")]);

        // The fake serves a FIFO group's queued messages in the first batch only, so the first batch shows the parallelism.
        await Eventually.WaitAsync(() => Volatile.Read(ref concurrent) >= 2, "two deliveries of one group at once");
        gate.SetResult();
        await Eventually.WaitAsync(() => source.AckedCount == 20, "all acked");
        Assert.True(maxConcurrent >= 2);
    }

    [Fact]
    public async Task Never_holds_more_than_max_in_flight_and_does_not_receive_while_full()
    {
        var source = new PopMessageSource();
        for (var i = 0; i < 40; i++)
        {
            source.Publish($"b{i}");
        }

        var concurrent = 0;
        var maxConcurrent = 0;
        var gate = new TaskCompletionSource();
        await using var sink = await LoopbackSink.StartAsync(async _ =>
        {
            InterlockedMax(ref maxConcurrent, Interlocked.Increment(ref concurrent));
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Interlocked.Decrement(ref concurrent);
            return SinkReply.Accepted;
        });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("ROCKETMQ_MAX_IN_FLIGHT", "5"), ("ROCKETMQ_BATCH_SIZE", "3"), ("K_SINK_TIMEOUT", "15")]);

        await Eventually.WaitAsync(() => Volatile.Read(ref concurrent) == 5, "five deliveries blocked at the sink");
        // A batch of 3, then the 2 that fit; then the loop waits for a settlement instead of receiving
        // (35 more messages are waiting, so any further receive would have taken some).
        Assert.Equal([3, 2], source.ReceiveRequests());
        Assert.Equal(5, source.MaxHeld);
        Assert.Equal(5, consumer.Metrics.Sum("messaging.client.consumed.messages"));
        Assert.Equal(5, consumer.Metrics.Observe("rocketmqsource.messages.in_flight"));

        gate.SetResult();
        await Eventually.WaitAsync(() => source.AckedCount == 40, "all acked");
        Assert.Equal(5, maxConcurrent);
        Assert.True(source.MaxHeld <= 5, $"held {source.MaxHeld} messages at once");
        Assert.All(source.ReceiveRequests(), room => Assert.InRange(room, 1, 3));
    }

    [Fact]
    public async Task Ce_overrides_are_applied_to_every_event()
    {
        var source = new PopMessageSource();
        source.Publish("o1");
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_CE_OVERRIDES", """{"extensions":{"team":"food"}}""")]);

        await Eventually.WaitAsync(() => source.IsAcked("o1"), "acked");

        Assert.Equal("food", Assert.Single(sink.Requests).Header("ce-team"));
    }

    [Fact]
    public async Task Retryable_failures_are_retried_within_one_delivery()
    {
        var source = new PopMessageSource();
        for (var i = 0; i < 10; i++)
        {
            source.Publish($"r{i}");
        }

        var attempts = new ConcurrentDictionary<string, int>();
        using var sink = SinkDouble.FailingFirst(2, 503, attempts);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, []);

        await Eventually.WaitAsync(() => source.AckedCount == 10, "all acked");

        Assert.All(attempts.Values, n => Assert.Equal(3, n));
        Assert.Equal(20, consumer.Metrics.Sum("rocketmqsource.events.retried", "503"));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(1, source.Deliveries($"r{i}")));
    }

    [Fact]
    public async Task Invisibility_is_renewed_on_the_clock_while_a_delivery_keeps_retrying()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.Publish("slow");
        using var sink = SinkDouble.Answering(503);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_RETRY", "100"), ("K_BACKOFF_POLICY", "linear"), ("K_BACKOFF_DELAY", "1s")], clock);
        await Eventually.WaitAsync(() => sink.Arrivals >= 1, "the first attempt");

        // Invisible for 30s, margin 5s: checks at 5, 10, 15 and 20s see 10s or more left; at 25s, 5s.
        clock.Advance(TimeSpan.FromSeconds(24));
        Assert.Empty(source.Changes());
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => source.Changes().Count == 1, "the renewal");

        Assert.Equal(("slow", TimeSpan.FromSeconds(30)), source.Changes()[0]);
        Assert.Equal(1, source.Deliveries("slow"));
        sink.Server.Given(SinkDouble.Posts()).RespondWith(SinkDouble.Reply(202));
        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            return source.IsAcked("slow");
        }, "acked once the sink takes it");
        Assert.Equal(1, source.Deliveries("slow"));
        Assert.Equal(0, source.RefusedAcks);
    }

    [Fact]
    public async Task Unconvertible_message_goes_to_the_dead_letter_sink()
    {
        var source = new PopMessageSource();
        // Claims to be a binary-mode CloudEvent but has no id, source or type.
        source.Publish("raw", body: "unconvertible", properties: new Dictionary<string, string> { ["CE_specversion"] = "1.0" });
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)]);

        await Eventually.WaitAsync(() => source.IsAcked("raw"), "acked after dead-lettering");

        Assert.Empty(sink.Requests);
        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal("unconvertible", Encoding.UTF8.GetString(copy.Body));
        Assert.Equal("raw", copy.EventId);
        Assert.Equal("dev.knative.rocketmq.event", copy.Header("ce-type"));
        Assert.Equal(string.Empty, copy.Header("ce-knativeerrorcode"));
        Assert.Contains("missing required attributes", Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))), StringComparison.Ordinal);
    }

    internal static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
