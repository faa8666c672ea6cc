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
        using var sink = SinkDouble.Answering(202);
        sink.Server.Given(SinkDouble.Event("bad-1")).RespondWith(SinkDouble.Reply(400, "rejected"));
        using var deadLetter = SinkDouble.Answering(202);
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
        Assert.Equal((2, 1), (consumer.Metrics.Ended("delivered", "accepted"), consumer.Metrics.Ended("dead_lettered", "sink_rejected")));
    }

    [Fact]
    public async Task Without_a_dead_letter_sink_rejected_messages_are_handed_back_to_rocketmq()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.Publish("bad-1");
        source.Publish("good-1");
        using var sink = SinkDouble.Answering(202);
        sink.Server.Given(SinkDouble.Event("bad-1")).RespondWith(SinkDouble.Reply(400));
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
        Assert.Equal(2, consumer.Metrics.Ended("handed_back", "sink_rejected"));
        Assert.Equal(0, consumer.Metrics.Sum("rocketmqsource.events.retried", "400"));
    }

    [Fact]
    public async Task Dead_sink_that_recovers_receives_everything()
    {
        // On the manual clock: backoffs, hand-back delays (doubling per attempt) and redeliveries
        // happen only as the test moves time, however slow the machine.
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        for (var i = 0; i < 10; i++)
        {
            source.Publish($"d{i}", i % 2 == 0 ? "g" : null);
        }

        using var sink = SinkDouble.Answering(503);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_RETRY", "1")], clock);

        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            return source.Deliveries("d1") >= 2;
        }, "a message handed back and delivered again while the sink is down");
        Assert.Equal(0, source.AckedCount);
        sink.Server.ResetMappings();
        sink.Server.Given(SinkDouble.Posts()).RespondWith(SinkDouble.Reply(202));

        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            return source.AckedCount == 10;
        }, "everything acked after the sink recovered");
        Assert.True(consumer.Metrics.Sum("rocketmqsource.messages.handed_back", "503") >= 1);
        Assert.True(consumer.Metrics.Ended("handed_back", "retries_exhausted") >= 1);
        Assert.Equal(10, consumer.Metrics.Sum("rocketmqsource.events.delivered", "202"));
        Assert.Equal(10, consumer.Metrics.Ended("delivered", "accepted"));
    }

    [Fact]
    public async Task A_message_claiming_to_be_an_invalid_cloudevent_is_dead_lettered_at_once_with_the_reason()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.Publish("bad-ce", body: "raw", properties: new Dictionary<string, string> { ["CE_specversion"] = "1.0", ["CE_id"] = "x", ["CE_source"] = "/s" });
        using var sink = SinkDouble.Answering(202);
        using var deadLetter = SinkDouble.Answering(202);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)], clock);

        await Eventually.WaitAsync(() => source.IsAcked("bad-ce"), "dead-lettered and acked");

        Assert.Empty(sink.Requests);
        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal("bad-ce", copy.EventId);
        Assert.Equal("raw", System.Text.Encoding.UTF8.GetString(copy.Body));
        Assert.Contains("missing required attributes: type", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))), StringComparison.Ordinal);
        Assert.Equal(string.Empty, copy.Header("ce-knativeerrorcode"));
        Assert.Equal(1, source.Deliveries("bad-ce"));
        Assert.Equal(1, consumer.Metrics.Ended("dead_lettered", "unconvertible"));
    }

    [Fact]
    public async Task An_event_the_sdk_cannot_encode_is_dead_lettered_at_once_as_the_plain_message()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        // A valid structured event whose JSON data names a charset nobody knows: decoding reads it, encoding it for HTTP cannot.
        var body = """{"specversion":"1.0","id":"e","source":"/s","type":"t","datacontenttype":"application/json; charset=x-none","data":{"a":1}}""";
        source.Publish("unsendable", body: body, properties: new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json" });
        using var sink = SinkDouble.Answering(202);
        using var deadLetter = SinkDouble.Answering(202);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)], clock);

        await Eventually.WaitAsync(() => source.IsAcked("unsendable"), "dead-lettered and acked");

        Assert.Empty(sink.Requests);
        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal(("unsendable", "dev.knative.rocketmq.event"), (copy.EventId, copy.Header("ce-type")));
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(copy.Body));
        Assert.Contains("x-none", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))), StringComparison.Ordinal);
        Assert.Equal(1, consumer.Metrics.Ended("dead_lettered", "unencodable"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_unexpected_failure_is_retried_through_rocketmq_and_ends_at_the_third_delivery_or_in_the_groups_dlq(bool deadLetterSink)
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock) { MaxDeliveryAttempts = 4 };
        source.Publish("boom");
        using var sink = SinkDouble.Answering(202);
        using var deadLetter = SinkDouble.Answering(202);
        using var client = new HttpClient(new UnclassifiedFailure(sink.Uri) { InnerHandler = new SocketsHttpHandler() });
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, deadLetterSink ? [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)] : [], clock, client);

        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            return source.IsAcked("boom") || source.IsInDeadLetterQueue("boom");
        }, "ended");

        if (deadLetterSink)
        {
            // Handed back on delivery attempts 1 and 2, a dead letter at the third.
            Assert.True(source.IsAcked("boom"));
            Assert.Equal(3, source.Deliveries("boom"));
            Assert.Equal((2, 1), (consumer.Metrics.Ended("handed_back", "unexpected"), consumer.Metrics.Ended("dead_lettered", "unexpected")));
            var copy = Assert.Single(deadLetter.Requests);
            Assert.Contains("unclassified", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))), StringComparison.Ordinal);
        }
        else
        {
            // Handed back on every delivery until RocketMQ's max attempts move it to %DLQ%.
            Assert.True(source.IsInDeadLetterQueue("boom"));
            Assert.Equal(4, source.Deliveries("boom"));
            Assert.Equal(4, consumer.Metrics.Ends().Values.Sum());
            Assert.Equal(4, consumer.Metrics.Ended("handed_back", "unexpected"));
        }
    }

    [Fact]
    public async Task A_refusing_dead_letter_sink_hands_the_message_back()
    {
        var clock = new ManualClock { ControlsTimers = true };
        var source = new PopMessageSource(clock);
        source.Publish("p1");
        using var sink = SinkDouble.Answering(400);
        using var deadLetter = SinkDouble.Answering(500);
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_RETRY", "0")], clock);

        await Eventually.WaitAsync(() => source.Changes().Count == 1, "handed back");

        Assert.False(source.IsAcked("p1"));
        Assert.Equal(1, consumer.Metrics.Ended("handed_back", "dead_letter_sink_failed"));
    }

    [Fact]
    public async Task Handing_back_a_group_message_hands_back_the_rest_of_its_group_so_order_holds()
    {
        var source = new PopMessageSource();
        source.Publish("g-1", "g");
        source.Publish("g-2", "g");
        source.Publish("g-3", "g");
        using var sink = SinkDouble.Answering(202);
        sink.Sequence("g-1", SinkDouble.Event("g-1"), SinkDouble.Reply(400), SinkDouble.Reply(202));
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, []);

        await Eventually.WaitAsync(() => source.AckedCount == 3, "all acked");

        Assert.Equal(["g-1", "g-1", "g-2", "g-3"], sink.Requests.Select(r => r.EventId));
        Assert.Contains(source.Changes(), c => c.MessageId == "g-2");
        Assert.Equal(2, consumer.Metrics.Ended("handed_back", "group_order"));
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
        using var sink = SinkDouble.Start();
        sink.Server.Given(SinkDouble.Posts()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return new WireMock.ResponseMessage { StatusCode = 202 };
        }));
        await using var consumer = ConsumerHarness.Start(source, sink.Uri, [("SHUTDOWN_GRACE_PERIOD", "20s"), ("K_SINK_TIMEOUT", "15")]);
        await Eventually.WaitAsync(() => sink.Arrivals == 6, "all six at the sink");
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
        using var stuckSink = SinkDouble.Start();
        stuckSink.Server.Given(SinkDouble.Posts()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async _ =>
        {
            await stuck.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return new WireMock.ResponseMessage { StatusCode = 202 };
        }));
        var received = clock.GetUtcNow();
        var first = ConsumerHarness.Start(source, stuckSink.Uri, [("SHUTDOWN_GRACE_PERIOD", "10s"), ("K_SINK_TIMEOUT", "20")], clock);
        await Eventually.WaitAsync(() => stuckSink.Arrivals >= 4, "all four stuck at the sink");

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
        Assert.Equal(4, first.Metrics.Ended("abandoned", "shutdown"));
        await first.DisposeAsync();
        stuck.SetResult();

        using var healthySink = SinkDouble.Answering(202);
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

/// <summary>The network between adapter and sink failing in a way nothing classifies (not an HttpRequestException, no timeout).</summary>
internal sealed class UnclassifiedFailure(Uri sink) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.RequestUri?.Port == sink.Port
            ? throw new InvalidOperationException("an unclassified failure between adapter and sink")
            : base.SendAsync(request, cancellationToken);
}
