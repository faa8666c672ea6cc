using Google.Protobuf.WellKnownTypes;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Unit;

public class ProxyServiceTests
{
    private static readonly CallContext Client = new("host@1@0@abc");
    private readonly ManualClock _clock = new();
    private readonly ProxyService _service;

    public ProxyServiceTests()
    {
        var options = new RocketMqEmulatorOptions { TimeProvider = _clock };
        options.FifoTopics.Add("fifo");
        _service = new ProxyService(options, new EmulatedBroker(options.QueuesPerTopic, _clock, options.FifoTopics));
    }

    private static Settings ConsumerSettings(string group = "g", string topic = "orders") => new()
    {
        ClientType = ClientType.SimpleConsumer,
        Subscription = new Subscription
        {
            Group = Wire.Resource(group),
            Subscriptions = { new SubscriptionEntry { Topic = Wire.Resource(topic), Expression = new FilterExpression { Type = FilterType.Tag, Expression = "*" } } },
        },
    };

    private Settings Handshake(Settings settings, CallContext? context = null)
    {
        var reply = _service.Telemetry(context ?? Client, new TelemetryCommand { Settings = settings });
        Assert.NotNull(reply);
        Assert.Equal(Code.Ok, reply.Status.Code);
        return reply.Settings;
    }

    private ReceiveMessageRequest Receive(string topic = "orders", int batch = 16, TimeSpan? invisible = null) => new()
    {
        Group = Wire.Resource("g"),
        MessageQueue = new MessageQueue { Topic = Wire.Resource(topic), Id = 0 },
        FilterExpression = new FilterExpression { Type = FilterType.Tag, Expression = "*" },
        BatchSize = batch,
        InvisibleDuration = Duration.FromTimeSpan(invisible ?? TimeSpan.FromSeconds(30)),
        LongPollingTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)),
    };

    private Code SendCode(Message message) =>
        _service.SendMessage(Client, new SendMessageRequest { Messages = { message } }).Status.Code;

    [Fact]
    public void Producer_settings_reply_carries_exponential_backoff_and_a_real_body_limit()
    {
        var reply = Handshake(new Settings { ClientType = ClientType.Producer, Publishing = new Publishing { Topics = { Wire.Resource("orders") } } });

        Assert.Equal(RetryPolicy.StrategyOneofCase.ExponentialBackoff, reply.BackoffPolicy.StrategyCase);
        Assert.Equal(3, reply.BackoffPolicy.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(10), reply.BackoffPolicy.ExponentialBackoff.Initial.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(1), reply.BackoffPolicy.ExponentialBackoff.Max.ToTimeSpan());
        Assert.Equal(2f, reply.BackoffPolicy.ExponentialBackoff.Multiplier);
        Assert.Equal(4 * 1024 * 1024, reply.Publishing.MaxBodySize);
        Assert.True(reply.Publishing.ValidateMessageType);
        Assert.Equal("orders", Assert.Single(reply.Publishing.Topics).Name);
    }

    [Fact]
    public void Consumer_settings_reply_carries_the_server_side_subscription_values()
    {
        var reply = Handshake(ConsumerSettings());
        var fifo = Handshake(ConsumerSettings("g2", "fifo"), Client with { ClientId = "other" });

        Assert.Equal(32, reply.Subscription.ReceiveBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(20), reply.Subscription.LongPollingTimeout.ToTimeSpan());
        Assert.False(reply.Subscription.Fifo);
        Assert.True(fifo.Subscription.Fifo);
        Assert.Equal(17, reply.BackoffPolicy.MaxAttempts);
        Assert.Equal(RetryPolicy.StrategyOneofCase.CustomizedBackoff, reply.BackoffPolicy.StrategyCase);
        Assert.Equal(TimeSpan.FromSeconds(1), reply.BackoffPolicy.CustomizedBackoff.Next[0].ToTimeSpan());
        Assert.Equal(TimeSpan.FromHours(2), reply.BackoffPolicy.CustomizedBackoff.Next[^1].ToTimeSpan());
        Assert.False(reply.Metric.On);
        Assert.Equal("g", reply.Subscription.Group.Name);
    }

    [Fact]
    public void Missing_client_id_is_refused_everywhere()
    {
        var anonymous = new CallContext(null);

        Assert.Equal(Code.ClientIdRequired, _service.QueryRoute(anonymous, new QueryRouteRequest { Topic = Wire.Resource("orders") }).Status.Code);
        Assert.Equal(Code.ClientIdRequired, _service.SendMessage(anonymous, new SendMessageRequest { Messages = { Wire.Message("orders") } }).Status.Code);
        Assert.Equal(Code.ClientIdRequired, _service.Heartbeat(anonymous, new HeartbeatRequest()).Status.Code);
    }

    [Fact]
    public void Heartbeat_and_termination_need_stored_settings()
    {
        Assert.Equal(Code.UnrecognizedClientType, _service.Heartbeat(Client, new HeartbeatRequest()).Status.Code);

        Handshake(ConsumerSettings());

        Assert.Equal(Code.Ok, _service.Heartbeat(Client, new HeartbeatRequest()).Status.Code);
        Assert.Equal(Code.Ok, _service.NotifyClientTermination(Client, new NotifyClientTerminationRequest()).Status.Code);
        Assert.Equal(Code.UnrecognizedClientType, _service.Heartbeat(Client, new HeartbeatRequest()).Status.Code);
    }

    [Fact]
    public void Sessions_lapse_after_120_seconds_without_heartbeat()
    {
        Handshake(ConsumerSettings());
        _clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(Code.Ok, _service.Heartbeat(Client, new HeartbeatRequest()).Status.Code);
        Assert.Equal(1, _service.Sessions.Count);
        _clock.Advance(TimeSpan.FromSeconds(121));

        Assert.Equal(0, _service.Sessions.Count);
        Assert.Equal(Code.UnrecognizedClientType, _service.Heartbeat(Client, new HeartbeatRequest()).Status.Code);
    }

    [Fact]
    public void Route_lists_every_queue_on_the_address_the_client_used_with_the_topic_s_types()
    {
        var access = new Endpoints { Scheme = AddressScheme.DomainName, Addresses = { new Address { Host = "mq.local", Port = 8081 } } };

        var route = _service.QueryRoute(Client, new QueryRouteRequest { Topic = Wire.Resource("fifo"), Endpoints = access });

        Assert.Equal(Code.Ok, route.Status.Code);
        Assert.Equal(Enumerable.Range(0, 8), route.MessageQueues.Select(queue => queue.Id));
        Assert.All(route.MessageQueues, queue =>
        {
            Assert.Equal("mq.local", queue.Broker.Endpoints.Addresses[0].Host);
            Assert.Equal(Permission.ReadWrite, queue.Permission);
            Assert.Equal([MessageType.Fifo], queue.AcceptMessageTypes);
        });
        Assert.Equal(Code.IllegalTopic, _service.QueryRoute(Client, new QueryRouteRequest { Topic = Wire.Resource("rmq_sys_x") }).Status.Code);
    }

    [Fact]
    public void Send_validation_uses_the_proxy_s_codes()
    {
        Assert.Equal(Code.Ok, SendCode(Wire.Message("orders")));
        Assert.Equal(Code.MessageBodyEmpty, SendCode(Wire.Message("orders", body: "")));
        Assert.Equal(Code.IllegalMessageTag, SendCode(Wire.Message("orders", tag: "a|b")));
        Assert.Equal(Code.IllegalMessageTag, SendCode(Wire.Message("orders", tag: " ")));
        Assert.Equal(Code.IllegalMessageGroup, SendCode(Wire.Message("orders", group: new string('g', 64))));
        Assert.Equal(Code.IllegalTopic, SendCode(Wire.Message("bad topic")));
        Assert.Equal(Code.IllegalTopic, SendCode(Wire.Message(new string('t', 128))));
        Assert.Equal(Code.IllegalDeliveryTime, SendCode(Wire.Message("orders", deliverAt: _clock.GetUtcNow().AddDays(2))));
        Assert.Equal(Code.MessagePropertyConflictWithType, SendCode(Wire.Message("fifo")));
        Assert.Equal(Code.MessagePropertiesTooLarge,
            SendCode(Wire.Message("orders", properties: Enumerable.Range(0, 129).ToDictionary(i => $"p{i}", _ => "v"))));
        Assert.Equal(Code.MessagePropertiesTooLarge,
            SendCode(Wire.Message("orders", properties: new Dictionary<string, string> { ["big"] = new string('x', 17 * 1024) })));

        var blankKey = Wire.Message("orders");
        blankKey.SystemProperties.Keys.Add(" ");
        Assert.Equal(Code.IllegalMessageKey, SendCode(blankKey));

        var tooLarge = Wire.Message("orders");
        tooLarge.Body = Google.Protobuf.ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]);
        Assert.Equal(Code.MessageBodyTooLarge, SendCode(tooLarge));

        Assert.Equal(Code.MessageCorrupted, _service.SendMessage(Client, new SendMessageRequest()).Status.Code);
        Assert.Equal(Code.MessageCorrupted,
            _service.SendMessage(Client, new SendMessageRequest { Messages = { Wire.Message("orders"), Wire.Message("other") } }).Status.Code);
    }

    [Fact]
    public void Send_answers_one_entry_per_message_with_its_id()
    {
        var message = Wire.Message("orders");

        var response = _service.SendMessage(Client, new SendMessageRequest { Messages = { message } });

        var entry = Assert.Single(response.Entries);
        Assert.Equal(Code.Ok, entry.Status.Code);
        Assert.Equal(message.SystemProperties.MessageId, entry.MessageId);
    }

    [Fact]
    public async Task Receive_streams_status_then_messages_then_delivery_timestamp()
    {
        Handshake(ConsumerSettings());
        SendCode(Wire.Message("orders", "one"));
        SendCode(Wire.Message("orders", "two"));

        var responses = await _service.ReceiveMessageAsync(Client, Receive(), CancellationToken.None);

        Assert.Equal(Code.Ok, responses[0].Status.Code);
        Assert.Equal(["one", "two"], responses.Skip(1).Take(2).Select(r => r.Message.Body.ToStringUtf8()).Order());
        Assert.Equal(ReceiveMessageResponse.ContentOneofCase.DeliveryTimestamp, responses[^1].ContentCase);
        Assert.Equal(4, responses.Count);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(12 * 3600 + 1)]
    public async Task Receive_refuses_invisible_durations_outside_the_proxy_s_range(int seconds)
    {
        Handshake(ConsumerSettings());
        _service.QueryRoute(Client, new QueryRouteRequest { Topic = Wire.Resource("orders") });

        var responses = await _service.ReceiveMessageAsync(Client, Receive(invisible: TimeSpan.FromSeconds(seconds)), CancellationToken.None);

        Assert.Equal(Code.IllegalInvisibleTime, responses[0].Status.Code);
        Assert.Equal(ReceiveMessageResponse.ContentOneofCase.DeliveryTimestamp, responses[1].ContentCase);
    }

    [Fact]
    public async Task Receive_preconditions_and_errors_use_the_proxy_s_codes()
    {
        async Task<Code> CodeOf(ReceiveMessageRequest request, CallContext? context = null) =>
            (await _service.ReceiveMessageAsync(context ?? Client, request, CancellationToken.None))[0].Status.Code;

        Assert.Equal(Code.UnrecognizedClientType, await CodeOf(Receive()));
        Handshake(ConsumerSettings());
        Assert.Equal(Code.TopicNotFound, await CodeOf(Receive("never-routed")));

        var badFilter = Receive();
        badFilter.FilterExpression = new FilterExpression { Type = FilterType.Sql, Expression = "a = = 1" };
        Assert.Equal(Code.IllegalFilterExpression, await CodeOf(badFilter));

        var badGroup = Receive();
        badGroup.Group = Wire.Resource("bad group");
        Assert.Equal(Code.IllegalConsumerGroup, await CodeOf(badGroup));

        var shortDeadline = Client with { Deadline = _clock.GetUtcNow().AddSeconds(3) };
        Assert.Equal(Code.IllegalPollingTime, await CodeOf(Receive(), shortDeadline));
    }

    [Fact]
    public async Task Receive_clamps_the_batch_to_32()
    {
        Handshake(ConsumerSettings());
        _service.SendMessage(Client, new SendMessageRequest { Messages = { Enumerable.Range(0, 40).Select(i => Wire.Message("orders", $"m{i}")) } });

        var responses = await _service.ReceiveMessageAsync(Client, Receive(batch: 100), CancellationToken.None);

        Assert.Equal(32, responses.Count(r => r.ContentCase == ReceiveMessageResponse.ContentOneofCase.Message));
    }

    [Fact]
    public void Ack_reports_each_entry_and_multiple_results_when_they_differ()
    {
        Handshake(ConsumerSettings());
        SendCode(Wire.Message("orders"));
        var message = _service.Broker.Pop(new PopRequest("g", "orders", Filters.TagFilter.All, 1, TimeSpan.FromSeconds(30), 17, false))[0];
        var request = new AckMessageRequest
        {
            Group = Wire.Resource("g"),
            Topic = Wire.Resource("orders"),
            Entries =
            {
                new AckMessageEntry { MessageId = message.SystemProperties.MessageId, ReceiptHandle = message.SystemProperties.ReceiptHandle },
                new AckMessageEntry { MessageId = message.SystemProperties.MessageId, ReceiptHandle = message.SystemProperties.ReceiptHandle },
            },
        };

        var response = _service.AckMessage(Client, request);

        Assert.Equal(Code.MultipleResults, response.Status.Code);
        Assert.Equal([Code.Ok, Code.InvalidReceiptHandle], response.Entries.Select(entry => entry.Status.Code));
    }

    [Fact]
    public void Forward_to_dead_letter_queue_moves_the_delivery_to_the_group_s_DLQ_at_once()
    {
        // Our client never forwards (the adapter hands messages back); the official PushConsumer does.
        Handshake(ConsumerSettings());
        SendCode(Wire.Message("orders", "poison"));
        var message = _service.Broker.Pop(new PopRequest("g", "orders", Filters.TagFilter.All, 1, TimeSpan.FromSeconds(30), 17, false))[0];

        var response = _service.ForwardMessageToDeadLetterQueue(Client, new ForwardMessageToDeadLetterQueueRequest
        {
            Group = Wire.Resource("g"),
            Topic = Wire.Resource("orders"),
            ReceiptHandle = message.SystemProperties.ReceiptHandle,
            MessageId = message.SystemProperties.MessageId,
            DeliveryAttempt = 1,
            MaxDeliveryAttempts = 17,
        });

        Assert.Equal(Code.Ok, response.Status.Code);
        Assert.Equal((0, 0), (_service.Broker.Stats("g", "orders").Backlog, _service.Broker.Stats("g", "orders").InFlight));
        var dead = Assert.Single(_service.Broker.Pop(new PopRequest("dlq-reader", "%DLQ%g", Filters.TagFilter.All, 1, TimeSpan.FromSeconds(30), 17, false)));
        Assert.Equal(message.SystemProperties.MessageId, dead.SystemProperties.DeadLetterQueue.MessageId);
    }

    [Fact]
    public void Change_invisible_duration_refuses_durations_over_12_hours()
    {
        var response = _service.ChangeInvisibleDuration(Client, new ChangeInvisibleDurationRequest
        {
            Group = Wire.Resource("g"),
            Topic = Wire.Resource("orders"),
            ReceiptHandle = "x",
            InvisibleDuration = Duration.FromTimeSpan(TimeSpan.FromHours(13)),
        });

        Assert.Equal(Code.IllegalInvisibleTime, response.Status.Code);
    }
}
