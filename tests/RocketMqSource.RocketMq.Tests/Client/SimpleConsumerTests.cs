using System.Security.Cryptography;
using Encoding = System.Text.Encoding;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Tests.Support;
using ProtoMessage = RocketMqSource.RocketMq.Protocol.Message;

namespace RocketMqSource.RocketMq.Tests.Client;

public sealed class SimpleConsumerTests
{
    private static async Task<SimpleConsumer> StartConsumerAsync(
        FakeProxy proxy,
        FilterExpression? filter = null,
        ISessionCredentialsProvider? credentials = null,
        string @namespace = "",
        Internal.ClientTimings? timings = null) =>
        await new SimpleConsumer.Builder()
            .SetClientConfig(ClientFixtures.Config(proxy, credentials, @namespace))
            .SetConsumerGroup("GID_orders")
            .SetAwaitDuration(TimeSpan.FromSeconds(10))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = filter ?? FilterExpression.SubAll })
            .SetTimings(timings ?? ClientFixtures.Quiet)
            .BuildAsync();

    private static async Task<FakeProxy> ProxyAsync()
    {
        var proxy = await FakeProxy.StartAsync();
        proxy.Topics["orders"] = [MessageType.Normal];
        return proxy;
    }

    private static ReceiveMessageResponse Delivered(string id, string handle, int attempt = 1)
    {
        var message = new ProtoMessage
        {
            Topic = new Resource { Name = "orders" },
            Body = ByteString.CopyFromUtf8("{\"order\":" + id + "}"),
            SystemProperties = new SystemProperties
            {
                MessageId = id,
                Tag = "created",
                ReceiptHandle = handle,
                DeliveryAttempt = attempt,
                MessageGroup = "customer-1",
                BornHost = "producer-host",
                BornTimestamp = Timestamp.FromDateTime(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
                DeliveryTimestamp = Timestamp.FromDateTime(new DateTime(2026, 1, 2, 3, 5, 0, DateTimeKind.Utc)),
                BodyDigest = new Digest { Type = DigestType.Md5, Checksum = "IGNORED" },
                BodyEncoding = Protocol.Encoding.Identity,
            },
        };
        message.SystemProperties.Keys.Add("order-" + id);
        message.UserProperties["region"] = "eu";
        return new ReceiveMessageResponse { Message = message };
    }

    [Fact]
    public async Task Start_queries_the_route_and_completes_the_settings_handshake_with_signed_metadata()
    {
        await using var proxy = await ProxyAsync();
        await using var consumer = await StartConsumerAsync(proxy, new FilterExpression("region = 'eu'", ExpressionType.Sql92),
            new StaticSessionCredentialsProvider("AK1", "secret-1", "sts-token"), "ns-1");

        var route = Assert.Single(proxy.Requests<QueryRouteRequest>("QueryRoute"));
        Assert.Equal("orders", route.Topic.Name);
        Assert.Equal("ns-1", route.Topic.ResourceNamespace);
        Assert.Equal(proxy.Port, route.Endpoints.Addresses[0].Port);

        var settings = Assert.Single(proxy.Requests<TelemetryCommand>("Telemetry")).Settings;
        Assert.Equal(ClientType.SimpleConsumer, settings.ClientType);
        Assert.Equal("GID_orders", settings.Subscription.Group.Name);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Subscription.LongPollingTimeout.ToTimeSpan());
        var entry = Assert.Single(settings.Subscription.Subscriptions);
        Assert.Equal(FilterType.Sql, entry.Expression.Type);
        Assert.Equal("region = 'eu'", entry.Expression.Expression);
        Assert.Equal(Language.DotNet, settings.UserAgent.Language);

        var headers = proxy.Calls[0].Headers;
        Assert.Equal(consumer.ClientId, headers["x-mq-client-id"]);
        Assert.Matches("^.+@[0-9]+@[0-9]+@[0-9a-z]+$", consumer.ClientId);
        Assert.Equal("DOTNET", headers["x-mq-language"]);
        Assert.Equal("v2", headers["x-mq-protocol"]);
        Assert.Equal("ns-1", headers["x-mq-namespace"]);
        Assert.Equal("sts-token", headers["x-mq-session-token"]);
        Assert.True(Guid.TryParse(headers["x-mq-request-id"], out _));
        var expectedSignature = Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes("secret-1"), Encoding.UTF8.GetBytes(headers["x-mq-date-time"])));
        Assert.Equal($"MQv2-HMAC-SHA1 Credential=AK1, SignedHeaders=x-mq-date-time, Signature={expectedSignature}", headers["authorization"]);
    }

    [Fact]
    public async Task Receive_sends_the_long_poll_request_and_maps_every_message_field()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnReceive = _ => [new ReceiveMessageResponse { Status = FakeProxy.Ok() }, Delivered("A1", "h1", 3), Delivered("A2", "h2")];
        await using var consumer = await StartConsumerAsync(proxy, new FilterExpression("created || paid"));

        var messages = await consumer.ReceiveAsync(16, TimeSpan.FromSeconds(30));

        Assert.Equal(["A1", "A2"], messages.Select(m => m.MessageId));
        var first = messages[0];
        Assert.Equal("orders", first.Topic);
        Assert.Equal("{\"order\":A1}", Encoding.UTF8.GetString(first.Body));
        Assert.Equal("created", first.Tag);
        Assert.Equal(["order-A1"], first.Keys);
        Assert.Equal("eu", first.Properties["region"]);
        Assert.Equal("customer-1", first.MessageGroup);
        Assert.Equal("producer-host", first.BornHost);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), first.BornTime);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 5, 0, DateTimeKind.Utc), first.DeliveryTimestamp);
        Assert.Equal(3, first.DeliveryAttempt);
        Assert.Equal("h1", first.ReceiptHandle);

        var call = Assert.Single(proxy.Calls, c => c.Method == "ReceiveMessage");
        var request = (ReceiveMessageRequest)call.Request;
        Assert.Equal("GID_orders", request.Group.Name);
        Assert.Equal("orders", request.MessageQueue.Topic.Name);
        Assert.Equal(16, request.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(30), request.InvisibleDuration.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(10), request.LongPollingTimeout.ToTimeSpan());
        Assert.False(request.AutoRenew);
        Assert.Equal(FilterType.Tag, request.FilterExpression.Type);
        Assert.Equal("created || paid", request.FilterExpression.Expression);
        // Deadline = long polling (10 s) + request timeout (3 s), as the server saw it (less the time in transit).
        Assert.InRange(call.Deadline - call.ReceivedAt, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(13.1));
    }

    [Fact]
    public async Task Server_settings_cap_the_batch_size_and_the_long_polling_time()
    {
        await using var proxy = await ProxyAsync();
        proxy.ServerSettings = s =>
        {
            s.Subscription.ReceiveBatchSize = 4;
            s.Subscription.LongPollingTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(6));
            s.Subscription.Fifo = true;
            s.BackoffPolicy = new RetryPolicy { MaxAttempts = 5, CustomizedBackoff = new CustomizedBackoff() };
        };
        await using var consumer = await StartConsumerAsync(proxy);

        await consumer.ReceiveAsync(32, TimeSpan.FromSeconds(15));

        var request = Assert.Single(proxy.Requests<ReceiveMessageRequest>("ReceiveMessage"));
        Assert.Equal(4, request.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(6), request.LongPollingTimeout.ToTimeSpan());
        Assert.True(consumer.Core.Server.Fifo);
        Assert.Equal(5, consumer.Core.Server.MaxDeliveryAttempts);
    }

    [Fact]
    public async Task Message_not_found_is_an_empty_result()
    {
        await using var proxy = await ProxyAsync();
        await using var consumer = await StartConsumerAsync(proxy);

        Assert.Empty(await consumer.ReceiveAsync(10, TimeSpan.FromSeconds(15)));
        Assert.Equal(1, proxy.Count("ReceiveMessage"));
    }

    [Fact]
    public async Task Receive_error_status_raises_the_typed_exception_with_the_server_message()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnReceive = _ => [new ReceiveMessageResponse { Status = new Status { Code = Code.IllegalInvisibleTime, Message = "invisible time too short" } }];
        await using var consumer = await StartConsumerAsync(proxy);

        var error = await Assert.ThrowsAsync<BadRequestException>(() => consumer.ReceiveAsync(10, TimeSpan.FromSeconds(1)));

        Assert.Equal(40011, error.ResponseCode);
        Assert.Equal("ILLEGAL_INVISIBLE_TIME", error.CodeName);
        Assert.Equal("invisible time too short", error.ServerMessage);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task Ack_sends_group_topic_id_and_handle_and_surfaces_a_refusal()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnReceive = _ => [new ReceiveMessageResponse { Status = FakeProxy.Ok() }, Delivered("A1", "h1")];
        await using var consumer = await StartConsumerAsync(proxy);
        var message = Assert.Single(await consumer.ReceiveAsync(1, TimeSpan.FromSeconds(15)));

        await consumer.AckAsync(message);

        var ack = Assert.Single(proxy.Requests<AckMessageRequest>("AckMessage"));
        Assert.Equal("GID_orders", ack.Group.Name);
        Assert.Equal("orders", ack.Topic.Name);
        Assert.Equal(("A1", "h1"), (ack.Entries[0].MessageId, ack.Entries[0].ReceiptHandle));

        proxy.OnAck = _ => new AckMessageResponse { Status = new Status { Code = Code.InvalidReceiptHandle, Message = "receipt handle is expired" } };
        var error = await Assert.ThrowsAsync<BadRequestException>(() => consumer.AckAsync(message));
        Assert.Equal("INVALID_RECEIPT_HANDLE", error.CodeName);
        Assert.Equal("receipt handle is expired", error.ServerMessage);
    }

    [Fact]
    public async Task Batched_ack_is_one_rpc_with_a_result_per_message()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnReceive = _ => [new ReceiveMessageResponse { Status = FakeProxy.Ok() }, Delivered("A1", "h1"), Delivered("A2", "h2"), Delivered("A3", "h3")];
        proxy.OnAck = request =>
        {
            var response = new AckMessageResponse { Status = new Status { Code = Code.MultipleResults } };
            response.Entries.AddRange(request.Entries.Select(e => new AckMessageResultEntry
            {
                MessageId = e.MessageId,
                ReceiptHandle = e.ReceiptHandle,
                Status = e.MessageId == "A2" ? new Status { Code = Code.InvalidReceiptHandle, Message = "expired" } : FakeProxy.Ok(),
            }));
            return response;
        };
        await using var consumer = await StartConsumerAsync(proxy);
        var messages = await consumer.ReceiveAsync(3, TimeSpan.FromSeconds(15));

        var results = await consumer.AckAsync(messages);

        var ack = Assert.Single(proxy.Requests<AckMessageRequest>("AckMessage"));
        Assert.Equal(["A1", "A2", "A3"], ack.Entries.Select(e => e.MessageId));
        Assert.Equal(messages, results.Select(r => r.Message));
        Assert.Equal([true, false, true], results.Select(r => r.IsSuccess));
        Assert.IsType<BadRequestException>(results[1].Error);
    }

    [Fact]
    public async Task Change_invisible_duration_returns_the_new_handle_and_later_acks_use_it()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnReceive = _ => [new ReceiveMessageResponse { Status = FakeProxy.Ok() }, Delivered("A1", "h1")];
        await using var consumer = await StartConsumerAsync(proxy);
        var message = Assert.Single(await consumer.ReceiveAsync(1, TimeSpan.FromSeconds(15)));

        var first = await consumer.ChangeInvisibleDurationAsync(message, TimeSpan.FromSeconds(40));
        var second = await consumer.ChangeInvisibleDurationAsync(message, TimeSpan.FromSeconds(40));
        await consumer.AckAsync(message);

        Assert.Equal("h1+renewed", first);
        Assert.Equal("h1+renewed+renewed", second);
        Assert.Equal(second, message.ReceiptHandle);
        var changes = proxy.Requests<ChangeInvisibleDurationRequest>("ChangeInvisibleDuration").ToList();
        Assert.Equal(["h1", "h1+renewed"], changes.Select(c => c.ReceiptHandle));
        Assert.Equal(TimeSpan.FromSeconds(40), changes[0].InvisibleDuration.ToTimeSpan());
        Assert.Equal("A1", changes[0].MessageId);
        Assert.Equal("h1+renewed+renewed", Assert.Single(proxy.Requests<AckMessageRequest>("AckMessage")).Entries[0].ReceiptHandle);
    }

    [Fact]
    public async Task Dispose_notifies_termination_and_closes_the_telemetry_stream()
    {
        await using var proxy = await ProxyAsync();
        var consumer = await StartConsumerAsync(proxy);

        await consumer.DisposeAsync();

        var termination = Assert.Single(proxy.Requests<NotifyClientTerminationRequest>("NotifyClientTermination"));
        Assert.Equal("GID_orders", termination.Group.Name);
        await proxy.TelemetryClosed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.ReceiveAsync(1, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Background_timers_heartbeat_refresh_routes_and_resync_settings()
    {
        await using var proxy = await ProxyAsync();
        await using var consumer = await StartConsumerAsync(proxy, timings: ClientFixtures.Fast);

        await proxy.WaitUntilAsync(p => p.Count("Heartbeat") >= 2, "two heartbeats");
        await proxy.WaitUntilAsync(p => p.Count("QueryRoute") >= 3, "route refreshes");
        await proxy.WaitUntilAsync(p => p.Count("Telemetry") >= 3, "settings re-syncs");
        var heartbeat = proxy.Requests<HeartbeatRequest>("Heartbeat").First();
        Assert.Equal(ClientType.SimpleConsumer, heartbeat.ClientType);
        Assert.Equal("GID_orders", heartbeat.Group.Name);
    }

    [Fact]
    public async Task Missing_settings_reply_fails_the_start_with_a_deadline()
    {
        await using var proxy = await ProxyAsync();
        proxy.ReplyToSettings = false;

        var error = await Assert.ThrowsAsync<RpcException>(() => new SimpleConsumer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(proxy.Endpoints).EnableSsl(false)
                .SetRequestTimeout(TimeSpan.FromMilliseconds(200)).Build())
            .SetConsumerGroup("GID_orders")
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = FilterExpression.SubAll })
            .SetTimings(ClientFixtures.Quiet with { SettingsReplyGrace = TimeSpan.FromMilliseconds(100) })
            .BuildAsync());

        Assert.True(error.IsDeadlineExceeded);
    }

    [Fact]
    public async Task Route_errors_fail_the_start_with_the_typed_exception()
    {
        await using var proxy = await ProxyAsync();
        proxy.QueryRouteStatus = new Status { Code = Code.Unauthorized, Message = "signature mismatch" };

        var error = await Assert.ThrowsAsync<UnauthorizedException>(() => StartConsumerAsync(proxy));
        Assert.Equal("signature mismatch", error.ServerMessage);

        proxy.QueryRouteStatus = null;
        proxy.Topics.Clear();
        await Assert.ThrowsAsync<NotFoundException>(() => StartConsumerAsync(proxy));
    }

    [Fact]
    public async Task Cancelling_a_receive_throws_operation_cancelled()
    {
        await using var proxy = await ProxyAsync();
        proxy.Hold("ReceiveMessage");
        await using var consumer = await StartConsumerAsync(proxy);
        using var cancellation = new CancellationTokenSource();

        var receive = consumer.ReceiveAsync(1, TimeSpan.FromSeconds(15), cancellation.Token);
        await proxy.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive);
    }

    [Fact]
    public async Task Dispose_ends_a_held_receive_with_object_disposed()
    {
        await using var proxy = await ProxyAsync();
        proxy.Hold("ReceiveMessage");
        var consumer = await StartConsumerAsync(proxy);

        var receive = consumer.ReceiveAsync(1, TimeSpan.FromSeconds(15));
        await proxy.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await consumer.DisposeAsync();

        // The held call would otherwise last until its deadline (await 10 s + request timeout 3 s).
        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_resync_the_settings()
    {
        await using var proxy = await ProxyAsync();
        proxy.Topics["payments"] = [MessageType.Normal];
        await using var consumer = await StartConsumerAsync(proxy);

        await consumer.SubscribeAsync("payments", new FilterExpression("paid"));
        var afterSubscribe = proxy.Requests<TelemetryCommand>("Telemetry").Last().Settings.Subscription.Subscriptions;
        await consumer.UnsubscribeAsync("orders");
        var afterUnsubscribe = proxy.Requests<TelemetryCommand>("Telemetry").Last().Settings.Subscription.Subscriptions;

        Assert.Equal(["orders", "payments"], afterSubscribe.Select(s => s.Topic.Name).Order());
        Assert.Equal(["payments"], afterUnsubscribe.Select(s => s.Topic.Name));
        Assert.Equal(["payments"], consumer.Subscriptions.Keys);
        await Assert.ThrowsAsync<NotFoundException>(() => consumer.SubscribeAsync("missing", FilterExpression.SubAll));
    }
}
