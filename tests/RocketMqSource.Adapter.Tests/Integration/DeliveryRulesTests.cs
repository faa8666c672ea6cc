using System.Collections.Concurrent;
using System.Text;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Integration;

/// <summary>The delivery rules end to end: emulator (in-process RocketMQ proxy) → adapter → real HTTP sinks on loopback.</summary>
public class DeliveryRulesTests
{
    private const string Topic = "orders";
    private const string Group = "order-adapter";

    private static HashSet<string> Ids(LoopbackSink sink) =>
        [.. sink.Requests.Select(r => r.EventId!)];

    private static HashSet<string> Ids(SinkDouble sink) =>
        [.. sink.Requests.Select(r => r.EventId!)];


    private static async Task WaitAllAckedAsync(EmulatedRocketMq rocketMq, int count, string group = Group, string topic = Topic)
    {
        await Eventually.WaitAsync(() => rocketMq.Stats(group, topic) is { Acked: var acked, Backlog: 0, InFlight: 0 } && acked >= count,
            $"{count} acked, backlog and in-flight 0 (now {rocketMq.Stats(group, topic)})", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Every_message_is_delivered_as_a_cloudevent_and_acked()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var ids = await rocketMq.SendManyAsync(300, i => EmulatedRocketMq.Order(Topic, i, tag: "created", properties: ("region", "eu")));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group);

        await WaitAllAckedAsync(rocketMq, ids.Length);

        Assert.Equal(ids.ToHashSet(), Ids(sink));
        var first = sink.Requests.First(r => r.EventId == ids[0]);
        Assert.Equal("dev.knative.rocketmq.event", first.Header("ce-type"));
        Assert.Equal("/apis/v1/namespaces/shop/rocketmqsources/orders-source#orders", first.Header("ce-source"));
        Assert.Equal("created", first.Header("ce-subject"));
        Assert.Equal("order-0", first.Header("ce-rocketmqkeys"));
        Assert.Equal("eu", first.Header("ce-rocketmqpropregion"));
        Assert.Equal("application/json", first.Header("content-type"));
        Assert.Equal("{\"order\":0}", Encoding.UTF8.GetString(first.Body));
        // The proxy counts an ack when it arrives; the adapter lets go of the message when the answer does.
        await Eventually.WaitAsync(() => adapter.Metrics.Observe("rocketmqsource.messages.in_flight") == 0, "nothing in flight after the last ack");
    }

    [Fact]
    public async Task Failed_attempts_are_retried_until_the_sink_accepts()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var attempts = new ConcurrentDictionary<string, int>();
        using var sink = SinkDouble.FailingFirst(2, 503, attempts);
        var ids = await rocketMq.SendManyAsync(20, i => EmulatedRocketMq.Order(Topic, i));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group);

        await WaitAllAckedAsync(rocketMq, ids.Length);

        Assert.All(ids, id => Assert.Equal(3, attempts[id]));
        Assert.All(adapter.Source.Received, r => Assert.Equal(1, r.DeliveryAttempt));
    }

    [Fact]
    public async Task Retry_after_on_429_is_honoured_before_the_next_attempt()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        using var sink = SinkDouble.Start();
        sink.Sequence("retry-after", SinkDouble.Posts(), SinkDouble.Reply(429).WithHeader("Retry-After", "2"), SinkDouble.Reply(202));
        await rocketMq.SendAsync(EmulatedRocketMq.Order(Topic, 1));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group);

        await WaitAllAckedAsync(rocketMq, 1);

        var times = sink.Server.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToArray();
        Assert.Equal(2, times.Length);
        // The backoff alone is 20 ms (K_BACKOFF_DELAY=10ms, exponential): the gap comes from Retry-After.
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(1.9), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Non_retryable_response_goes_to_the_dead_letter_sink_with_error_extensions_then_is_acked()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        using var sink = SinkDouble.Answering(400, "bad order");
        using var deadLetters = SinkDouble.Answering(202);
        var ids = await rocketMq.SendManyAsync(5, i => EmulatedRocketMq.Order(Topic, i));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group, [("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri)]);

        await WaitAllAckedAsync(rocketMq, ids.Length);

        Assert.Equal(ids.ToHashSet(), Ids(deadLetters));
        Assert.Equal(ids.Length, sink.Requests.Count);
        var dead = deadLetters.Requests.First();
        Assert.Equal(sink.Uri.AbsoluteUri, dead.Header("ce-knativeerrordest"));
        Assert.Equal("400", dead.Header("ce-knativeerrorcode"));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("bad order")), dead.Header("ce-knativeerrordata"));
        Assert.StartsWith("{\"order\":", Encoding.UTF8.GetString(dead.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconvertible_message_goes_to_the_dead_letter_sink_with_its_raw_body()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var deadLetters = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var broken = new RocketMq.Message.Builder().SetTopic(Topic).SetBody(Encoding.UTF8.GetBytes("not an event"))
            .AddProperty("CE_contenttype", "application/cloudevents+json").Build();
        var id = await rocketMq.SendAsync(broken);
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group, [("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri)]);

        await WaitAllAckedAsync(rocketMq, 1);

        Assert.Empty(sink.Requests);
        var dead = Assert.Single(deadLetters.Requests);
        Assert.Equal(id, dead.EventId);
        Assert.Equal("not an event", Encoding.UTF8.GetString(dead.Body));
        Assert.Contains("not a valid one", Encoding.UTF8.GetString(Convert.FromBase64String(dead.Header("ce-knativeerrordata"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_dead_letter_sink_a_refused_message_is_handed_back_and_redelivered_with_the_next_attempt()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var attempts = new ConcurrentDictionary<string, int>();
        using var sink = SinkDouble.FailingFirst(1, 400, attempts);
        var id = await rocketMq.SendAsync(EmulatedRocketMq.Order(Topic, 1));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group);

        await WaitAllAckedAsync(rocketMq, 1);

        Assert.Equal([(id, 1), (id, 2)], adapter.Source.Received.ToArray());
        Assert.Equal(2, attempts[id]);
        Assert.Equal(1, adapter.Metrics.Sum("rocketmqsource.messages.handed_back", "400"));
    }

    [Fact]
    public async Task A_message_refused_on_every_delivery_ends_in_the_groups_dlq_after_max_attempts()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync(options => options.MaxDeliveryAttempts = 3);
        using var sink = SinkDouble.Answering(422);
        var id = await rocketMq.SendAsync(EmulatedRocketMq.Order(Topic, 1));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group);

        await Eventually.WaitAsync(() => rocketMq.Stored("%DLQ%" + Group) == 1, "message in %DLQ%order-adapter", TimeSpan.FromSeconds(30));

        Assert.Equal([(id, 1), (id, 2), (id, 3)], adapter.Source.Received.ToArray());
        Assert.Equal(3, sink.Requests.Count);
    }

    [Fact]
    public async Task Ce_overrides_are_applied_last_to_every_event()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await rocketMq.SendManyAsync(3, i => EmulatedRocketMq.Order(Topic, i, properties: ("team", "from-message")));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group, [("K_CE_OVERRIDES", """{"extensions":{"team":"orders","rocketmqtopic":"renamed"}}""")]);

        await WaitAllAckedAsync(rocketMq, 3);

        Assert.All(sink.Requests, r => Assert.Equal("orders", r.Header("ce-team")));
        Assert.All(sink.Requests, r => Assert.Equal("from-message", r.Header("ce-rocketmqpropteam")));
        // Overrides apply last: they replace what the converter set.
        Assert.All(sink.Requests, r => Assert.Equal("renamed", r.Header("ce-rocketmqtopic")));
    }

    [Fact]
    public async Task Sql92_filter_delivers_only_matching_messages()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var ids = await rocketMq.SendManyAsync(40, i => EmulatedRocketMq.Order(Topic, i, properties: [("region", i % 4 == 0 ? "eu" : "us"), ("amount", $"{i}")]));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, Topic, Group,
            [("ROCKETMQ_FILTER_TYPE", "SQL92"), ("ROCKETMQ_FILTER_EXPRESSION", "region = 'eu' AND amount > 10")]);

        var expected = ids.Where((_, i) => i % 4 == 0 && i > 10).ToHashSet();
        await Eventually.WaitAsync(() => Ids(sink).Count >= expected.Count, "matching messages delivered");
        await WaitAllAckedAsync(rocketMq, expected.Count);

        Assert.Equal(expected, Ids(sink));
    }
}
