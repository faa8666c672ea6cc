using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Tests.Support;

namespace RocketMqSource.RocketMq.Tests.Client;

public sealed class ProducerTests
{
    private static readonly byte[] Mac = [0x02, 0x42, 0xAC, 0x11, 0x00, 0x02];

    private static async Task<FakeProxy> ProxyAsync()
    {
        var proxy = await FakeProxy.StartAsync();
        proxy.Topics["orders"] = [MessageType.Normal, MessageType.Delay];
        proxy.Topics["fifo-orders"] = [MessageType.Fifo];
        proxy.ServerSettings = s =>
        {
            s.BackoffPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                ExponentialBackoff = new ExponentialBackoff
                {
                    Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1)),
                    Max = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(5)),
                    Multiplier = 2,
                },
            };
            s.Publishing.MaxBodySize = 64;
            s.Publishing.ValidateMessageType = true;
        };
        return proxy;
    }

    private static Task<Producer> StartProducerAsync(FakeProxy proxy, int maxAttempts = 3) =>
        new Producer.Builder()
            .SetClientConfig(ClientFixtures.Config(proxy))
            .SetTopics("orders", "fifo-orders")
            .SetMaxAttempts(maxAttempts)
            .SetMessageIdGenerator(new MessageIdGenerator(Mac, 7, () => DateTimeOffset.UtcNow))
            .SetTimings(ClientFixtures.Quiet)
            .BuildAsync();

    private static Message.Builder Order() => new Message.Builder().SetTopic("orders").SetBody("{\"id\":1}"u8.ToArray());

    [Fact]
    public async Task Start_sends_publishing_settings_and_applies_the_server_reply()
    {
        await using var proxy = await ProxyAsync();
        await using var producer = await StartProducerAsync(proxy);

        Assert.Equal(["fifo-orders", "orders"], proxy.Requests<QueryRouteRequest>("QueryRoute").Select(r => r.Topic.Name).Order());
        var settings = Assert.Single(proxy.Requests<TelemetryCommand>("Telemetry")).Settings;
        Assert.Equal(ClientType.Producer, settings.ClientType);
        Assert.Equal(["fifo-orders", "orders"], settings.Publishing.Topics.Select(t => t.Name).Order());
        Assert.Equal(64, producer.Core.Server.MaxBodySize);
        Assert.Equal(TimeSpan.FromMilliseconds(2), producer.Core.Server.Backoff.DelayBeforeRetry(2));
    }

    [Fact]
    public async Task Send_carries_every_message_field_and_returns_the_v1_message_id()
    {
        await using var proxy = await ProxyAsync();
        await using var producer = await StartProducerAsync(proxy);

        var receipt = await producer.SendAsync(Order().SetTag("created").SetKeys("order-1", "customer-9").AddProperty("region", "eu").Build());

        var sent = Assert.Single(Assert.Single(proxy.Requests<SendMessageRequest>("SendMessage")).Messages);
        Assert.Equal("orders", sent.Topic.Name);
        Assert.Equal("{\"id\":1}", sent.Body.ToStringUtf8());
        Assert.Equal("created", sent.SystemProperties.Tag);
        Assert.Equal(["order-1", "customer-9"], sent.SystemProperties.Keys);
        Assert.Equal("eu", sent.UserProperties["region"]);
        Assert.Equal(MessageType.Normal, sent.SystemProperties.MessageType);
        Assert.Equal(Protocol.Encoding.Identity, sent.SystemProperties.BodyEncoding);
        Assert.InRange(sent.SystemProperties.QueueId, 0, 1);
        Assert.False(string.IsNullOrEmpty(sent.SystemProperties.BornHost));
        Assert.InRange(sent.SystemProperties.BornTimestamp.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Matches("^010242AC1100020007[0-9A-F]{16}$", receipt.MessageId);
        Assert.Equal(sent.SystemProperties.MessageId, receipt.MessageId);
        Assert.Equal(42, receipt.Offset);
    }

    [Fact]
    public async Task Fifo_messages_of_one_group_go_to_one_queue_and_delay_messages_carry_the_delivery_time()
    {
        await using var proxy = await ProxyAsync();
        proxy.QueuesPerTopic = 4;
        await using var producer = await StartProducerAsync(proxy);
        var when = DateTime.UtcNow.AddMinutes(10);

        for (var i = 0; i < 4; i++)
        {
            await producer.SendAsync(new Message.Builder().SetTopic("fifo-orders").SetBody([1]).SetMessageGroup("customer-1").Build());
        }

        await producer.SendAsync(Order().SetDeliveryTimestamp(when).Build());

        var sent = proxy.Requests<SendMessageRequest>("SendMessage").Select(r => r.Messages[0]).ToList();
        Assert.All(sent.Take(4), m => Assert.Equal(MessageType.Fifo, m.SystemProperties.MessageType));
        Assert.All(sent.Take(4), m => Assert.Equal("customer-1", m.SystemProperties.MessageGroup));
        Assert.Single(sent.Take(4).Select(m => m.SystemProperties.QueueId).Distinct());
        Assert.Equal(MessageType.Delay, sent[4].SystemProperties.MessageType);
        Assert.Equal(when, sent[4].SystemProperties.DeliveryTimestamp.ToDateTime(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Throttled_sends_are_retried_with_the_same_message_id()
    {
        await using var proxy = await ProxyAsync();
        var attempts = 0;
        var ok = proxy.OnSend;
        proxy.OnSend = request => Interlocked.Increment(ref attempts) < 3
            ? new SendMessageResponse { Status = new Status { Code = Code.TooManyRequests, Message = "slow down" } }
            : ok(request);
        await using var producer = await StartProducerAsync(proxy);

        var receipt = await producer.SendAsync(Order().Build());

        var ids = proxy.Requests<SendMessageRequest>("SendMessage").Select(r => r.Messages[0].SystemProperties.MessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.Equal(ids[0], receipt.MessageId);
    }

    [Fact]
    public async Task Retries_stop_at_max_attempts_with_the_last_error()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnSend = _ => new SendMessageResponse { Status = new Status { Code = Code.InternalError, Message = "broker down" } };
        await using var producer = await StartProducerAsync(proxy, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<InternalErrorException>(() => producer.SendAsync(Order().Build()));

        Assert.Equal("broker down", error.ServerMessage);
        Assert.Equal(2, proxy.Count("SendMessage"));
    }

    [Fact]
    public async Task Request_errors_are_not_retried()
    {
        await using var proxy = await ProxyAsync();
        proxy.OnSend = _ =>
        {
            var response = new SendMessageResponse { Status = FakeProxy.Ok() };
            response.Entries.Add(new SendResultEntry { Status = new Status { Code = Code.Forbidden, Message = "no write permission" } });
            return response;
        };
        await using var producer = await StartProducerAsync(proxy);

        var error = await Assert.ThrowsAsync<ForbiddenException>(() => producer.SendAsync(Order().Build()));

        Assert.Equal("no write permission", error.ServerMessage);
        Assert.Equal(1, proxy.Count("SendMessage"));
    }

    [Fact]
    public async Task Client_side_validation_refuses_before_any_send()
    {
        await using var proxy = await ProxyAsync();
        await using var producer = await StartProducerAsync(proxy);

        var tooLarge = await Assert.ThrowsAsync<PayloadTooLargeException>(() =>
            producer.SendAsync(new Message.Builder().SetTopic("orders").SetBody(new byte[65]).Build()));
        var wrongType = await Assert.ThrowsAsync<BadRequestException>(() =>
            producer.SendAsync(new Message.Builder().SetTopic("orders").SetBody([1]).SetMessageGroup("g").Build()));
        var tooLate = await Assert.ThrowsAsync<BadRequestException>(() =>
            producer.SendAsync(Order().SetDeliveryTimestamp(DateTime.UtcNow.AddDays(2)).Build()));

        Assert.Equal("MESSAGE_BODY_TOO_LARGE", tooLarge.CodeName);
        Assert.Equal("MESSAGE_PROPERTY_CONFLICT_WITH_TYPE", wrongType.CodeName);
        Assert.Equal("ILLEGAL_DELIVERY_TIME", tooLate.CodeName);
        Assert.Null(tooLarge.RequestId);
        Assert.Equal(0, proxy.Count("SendMessage"));
    }

    [Fact]
    public async Task Unknown_topic_on_send_is_not_found()
    {
        await using var proxy = await ProxyAsync();
        await using var producer = await StartProducerAsync(proxy);

        await Assert.ThrowsAsync<NotFoundException>(() =>
            producer.SendAsync(new Message.Builder().SetTopic("nope").SetBody([1]).Build()));
        Assert.Equal(0, proxy.Count("SendMessage"));
    }

    [Fact]
    public async Task Unreachable_proxy_fails_the_start_as_unavailable()
    {
        var config = new ClientConfig.Builder().SetEndpoints($"127.0.0.1:{RocketMqSource.Testing.LoopbackPort.GetFree()}").EnableSsl(false).Build();

        var error = await Assert.ThrowsAsync<RpcException>(() => new Producer.Builder().SetClientConfig(config).SetTopics("orders").BuildAsync());

        Assert.True(error.IsUnavailable);
    }

    [Fact]
    public async Task Dispose_notifies_termination_without_a_group()
    {
        await using var proxy = await ProxyAsync();
        var producer = await StartProducerAsync(proxy);

        await producer.DisposeAsync();

        var termination = Assert.Single(proxy.Requests<NotifyClientTerminationRequest>("NotifyClientTermination"));
        Assert.Null(termination.Group);
        await proxy.TelemetryClosed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
