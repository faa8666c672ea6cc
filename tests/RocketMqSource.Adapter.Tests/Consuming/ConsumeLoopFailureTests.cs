using System.Collections.Concurrent;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Consuming;

public class ConsumeLoopFailureTests
{
    [Fact]
    public async Task Rejected_events_go_to_the_dead_letter_sink_and_are_acked()
    {
        var source = new PopMessageSource();
        source.Publish("good-1");
        source.Publish("bad-1");
        source.Publish("good-2");
        await using var sink = await LoopbackSink.StartAsync(request =>
            Task.FromResult(request.EventId!.StartsWith("bad", StringComparison.Ordinal) ? new SinkReply(400, "rejected") : SinkReply.Accepted));
        await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)]);

        await Eventually.WaitAsync(() => source.AckedCount == 3, "all acked");

        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal("bad-1", copy.EventId);
        Assert.Equal(sink.Uri.AbsoluteUri, copy.Header("ce-knativeerrordest"));
        Assert.Equal("400", copy.Header("ce-knativeerrorcode"));
        Assert.Equal("rejected", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))));
        Assert.Equal(1, consumer.Metrics.Sum("rocketmqsource.events.dead_lettered", "400"));
        Assert.Equal(0, consumer.Metrics.Sum("rocketmqsource.messages.handed_back", "400"));
        Assert.Equal(1, source.Deliveries("bad-1"));
    }

    [Fact]
    public async Task Without_a_dead_letter_sink_rejected_messages_are_handed_back_to_rocketmq()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.Publish("bad-1");
        source.Publish("good-1");
        await using var sink = await LoopbackSink.StartAsync(request =>
            Task.FromResult(request.EventId == "bad-1" ? new SinkReply(400) : SinkReply.Accepted));
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [], clock);

        await Eventually.WaitAsync(() => source.Changes().Count == 1 && source.IsAcked("good-1"), "bad-1 handed back, good-1 acked");
        // Handed back for 100ms: RocketMQ keeps it invisible until then.
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(1, source.Deliveries("bad-1"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => source.Changes().Count == 2, "bad-1 redelivered by RocketMQ and handed back again");
        await consumer.StopAsync();

        Assert.False(source.IsAcked("bad-1"));
        Assert.Equal(2, source.Deliveries("bad-1"));
        // The hand-back delay doubles with each delivery attempt.
        Assert.Equal([("bad-1", TimeSpan.FromMilliseconds(100)), ("bad-1", TimeSpan.FromMilliseconds(200))], source.Changes());
        Assert.Equal(2, consumer.Metrics.Sum("rocketmqsource.messages.handed_back", "400"));
        Assert.Equal(0, consumer.Metrics.Sum("rocketmqsource.events.retried", "400"));
    }

    [Fact]
    public async Task Dead_sink_that_recovers_receives_everything()
    {
        var source = new PopMessageSource();
        for (var i = 0; i < 10; i++)
        {
            source.Publish($"d{i}", i % 2 == 0 ? "g" : null);
        }

        var healthy = false;
        await using var sink = await LoopbackSink.StartAsync(_ => Task.FromResult(Volatile.Read(ref healthy) ? SinkReply.Accepted : new SinkReply(503)));
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_RETRY", "1")]);

        await Eventually.WaitAsync(() => source.Deliveries("d1") >= 2, "a message handed back and delivered again while the sink is down");
        Assert.Equal(0, source.AckedCount);
        Volatile.Write(ref healthy, true);

        await Eventually.WaitAsync(() => source.AckedCount == 10, "everything acked after the sink recovered");
        Assert.True(consumer.Metrics.Sum("rocketmqsource.messages.handed_back", "503") >= 1);
        Assert.Equal(10, consumer.Metrics.Sum("rocketmqsource.events.delivered", "202"));
    }

    [Fact]
    public async Task Handing_back_a_group_message_hands_back_the_rest_of_its_group_so_order_holds()
    {
        var source = new PopMessageSource();
        source.Publish("g-1", "g");
        source.Publish("g-2", "g");
        source.Publish("g-3", "g");
        var firstTry = true;
        await using var sink = await LoopbackSink.StartAsync(request =>
        {
            var reject = request.EventId == "g-1" && firstTry;
            firstTry = firstTry && request.EventId != "g-1";
            return Task.FromResult(reject ? new SinkReply(400) : SinkReply.Accepted);
        });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, []);

        await Eventually.WaitAsync(() => source.AckedCount == 3, "all acked");

        Assert.Equal(["g-1", "g-1", "g-2", "g-3"], sink.Requests.Select(r => r.EventId));
        Assert.Contains(source.Changes(), c => c.MessageId == "g-2");
    }

    [Fact]
    public async Task Stop_drains_deliveries_in_flight_within_the_grace_period()
    {
        var source = new PopMessageSource();
        for (var i = 0; i < 6; i++)
        {
            source.Publish($"s{i}");
        }

        var release = new TaskCompletionSource();
        await using var sink = await LoopbackSink.StartAsync(async _ =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return SinkReply.Accepted;
        });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("SHUTDOWN_GRACE_PERIOD", "20s"), ("K_SINK_TIMEOUT", "15")]);
        await Eventually.WaitAsync(() => sink.Requests.Count == 6, "all six at the sink");
        Assert.True(consumer.Readiness.IsReady);

        var stopping = consumer.StopAsync();
        await Eventually.WaitAsync(() => !consumer.Readiness.IsReady, "not ready once stopping");
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;

        Assert.Equal(6, source.AckedCount);
        Assert.Equal(0, consumer.Metrics.Observe("rocketmqsource.messages.in_flight"));
    }

    [Fact]
    public async Task Stop_abandons_what_is_not_done_after_the_grace_period_and_rocketmq_redelivers_it()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        for (var i = 0; i < 4; i++)
        {
            source.Publish($"a{i}");
        }

        var stuck = new TaskCompletionSource();
        await using var stuckSink = await LoopbackSink.StartAsync(async _ =>
        {
            await stuck.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return SinkReply.Accepted;
        });
        var received = clock.GetUtcNow();
        var first = ConsumerHarness.Start(source, stuckSink.Uri, [("SHUTDOWN_GRACE_PERIOD", "10s"), ("K_SINK_TIMEOUT", "20")], clock);
        await Eventually.WaitAsync(() => stuckSink.Requests.Count >= 4, "all four stuck at the sink");

        var stopping = first.StopAsync();
        await Eventually.WaitAsync(() => !first.Readiness.IsReady, "unready once stopping");
        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            return stopping.IsCompleted;
        }, "stopped after the grace period");
        await stopping;
        Assert.True(clock.GetUtcNow() - received >= TimeSpan.FromSeconds(10), $"stopped {clock.GetUtcNow() - received} after receiving: not before the 10s grace period");
        Assert.Equal(0, source.AckedCount);
        Assert.Equal(0, first.Metrics.Observe("rocketmqsource.messages.in_flight"));
        await first.DisposeAsync();
        stuck.SetResult();

        await using var healthySink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var second = ConsumerHarness.Start(source, healthySink.Uri, [], clock);
        // Abandoned, not handed back: the messages come back when their 30s invisible duration lapses.
        await Eventually.WaitAsync(() => second.Readiness.IsReady, "the second consumer consuming");
        clock.Set(received + TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, source.AckedCount);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(1, source.Deliveries($"a{i}")));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => source.AckedCount == 4, "redelivered after the invisible duration and acked");
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(2, source.Deliveries($"a{i}")));
    }

    [Fact]
    public async Task Consuming_starts_after_the_source_connects_and_connection_failures_are_retried()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock) { StartFailures = 1 };
        source.Publish("c1");
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [], clock);
        await Eventually.WaitAsync(() => source.StartFailures == 0, "the first connection failed");
        Assert.False(consumer.Readiness.IsReady);

        // The retry waits 1s on the clock.
        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return source.IsAcked("c1");
        }, "consumed after the retry");
        Assert.True(consumer.Readiness.IsReady);
        Assert.True(source.Started);
    }

    [Fact]
    public async Task Receive_failures_are_retried()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock) { ReceiveFailures = 1 };
        source.Publish("f1");
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [], clock);
        await Eventually.WaitAsync(() => source.ReceiveFailures == 0, "the failed receive");

        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return source.IsAcked("f1");
        }, "consumed after the failed receive");
        Assert.True(source.ReceiveRequests().Count >= 2, "received again after the failure");
    }

    [Fact]
    public async Task A_refused_ack_is_counted_and_the_redelivered_message_is_delivered_again()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.RefuseAckOnce.Add("k1");
        source.Publish("k1");
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [], clock);
        await Eventually.WaitAsync(() => consumer.Metrics.Sum("rocketmqsource.acks.failed") == 1, "the refused ack");

        clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(() => source.IsAcked("k1"), "acked on the second delivery");

        Assert.Equal(2, source.Deliveries("k1"));
        Assert.Equal(["k1", "k1"], sink.Requests.Select(r => r.EventId));
    }
}
