using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;
using RocketMqSource.RocketMq.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Interop;

/// <summary>
/// Wire agreement with the official Apache RocketMQ Node client (npm rocketmq-client-nodejs):
/// its producer runs against our proto types and signing, and its generated code decodes what we encode.
/// </summary>
public sealed class OfficialNodeClientTests
{
    private static async Task<JsonElement> DecodeWithOfficialCodeAsync(string typeName, IMessage message)
    {
        var result = await NodePeer.RunAsync("rocketmq-decode.mjs", [typeName], Convert.ToBase64String(message.ToByteArray()));
        return JsonDocument.Parse(result.EnsureSuccess().StandardOutput).RootElement;
    }

    [Fact]
    public async Task Official_producer_requests_parse_with_our_protos_and_carry_our_signature()
    {
        await using var proxy = await FakeProxy.StartAsync();
        proxy.Topics["orders"] = [MessageType.Normal];
        proxy.ServerSettings = s =>
        {
            s.BackoffPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                ExponentialBackoff = new ExponentialBackoff
                {
                    Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)),
                    Max = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                    Multiplier = 2,
                },
            };
            s.Publishing.MaxBodySize = 4 * 1024 * 1024;
            s.Publishing.ValidateMessageType = true;
        };

        var run = await NodePeer.RunAsync("rocketmq-official-producer.mjs", [proxy.Endpoints, "orders"], timeout: TimeSpan.FromSeconds(60));
        var receipt = JsonDocument.Parse(run.EnsureSuccess().StandardOutput).RootElement;

        var sent = Assert.Single(Assert.Single(proxy.Requests<SendMessageRequest>("SendMessage")).Messages);
        Assert.Equal("orders", sent.Topic.Name);
        Assert.Equal("created", sent.SystemProperties.Tag);
        Assert.Equal(["order-1", "customer-9"], sent.SystemProperties.Keys);
        Assert.Equal("eu", sent.UserProperties["region"]);
        Assert.Equal("{\"order\":1}", sent.Body.ToStringUtf8());
        Assert.Equal(MessageType.Normal, sent.SystemProperties.MessageType);
        Assert.Matches("^01[0-9A-F]{32}$", sent.SystemProperties.MessageId);
        Assert.Equal(sent.SystemProperties.MessageId, receipt.GetProperty("messageId").GetString());

        var settings = proxy.Requests<TelemetryCommand>("Telemetry").First(c => c.Settings is not null).Settings;
        Assert.Equal(ClientType.Producer, settings.ClientType);
        Assert.Contains("orders", settings.Publishing.Topics.Select(t => t.Name));
        Assert.Equal(Language.NodeJs, settings.UserAgent.Language);

        Assert.NotEmpty(proxy.Calls);
        Assert.All(proxy.Calls, call =>
        {
            Assert.Equal(RequestSigner.Authorization("AK-interop", "secret-interop", call.Headers["x-mq-date-time"]), call.Headers["authorization"]);
            Assert.Equal("sts-interop", call.Headers["x-mq-session-token"]);
            Assert.Equal("v2", call.Headers["x-mq-protocol"]);
        });
        Assert.Contains(proxy.Calls, c => c.Method == "NotifyClientTermination");
    }

    [Fact]
    public async Task Official_generated_code_decodes_what_our_producer_and_consumer_send()
    {
        await using var proxy = await FakeProxy.StartAsync();
        proxy.Topics["orders"] = [MessageType.Normal];
        await using (var producer = await new Producer.Builder().SetClientConfig(ClientFixtures.Config(proxy)).SetTopics("orders")
            .SetTimings(ClientFixtures.Quiet).BuildAsync())
        {
            await producer.SendAsync(new Message.Builder().SetTopic("orders").SetBody("{\"order\":2}"u8.ToArray())
                .SetTag("paid").SetKeys("order-2").AddProperty("region", "us").Build());
        }

        await using (var consumer = await new SimpleConsumer.Builder().SetClientConfig(ClientFixtures.Config(proxy))
            .SetConsumerGroup("GID_orders").SetAwaitDuration(TimeSpan.FromSeconds(5))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = new("region = 'us'", ExpressionType.Sql92) })
            .SetTimings(ClientFixtures.Quiet).BuildAsync())
        {
            await consumer.ReceiveAsync(8, TimeSpan.FromSeconds(20));
        }

        var send = await DecodeWithOfficialCodeAsync("SendMessageRequest", Assert.Single(proxy.Requests<SendMessageRequest>("SendMessage")));
        var message = send.GetProperty("messagesList")[0];
        Assert.Equal("orders", message.GetProperty("topic").GetProperty("name").GetString());
        var system = message.GetProperty("systemProperties");
        Assert.Equal("paid", system.GetProperty("tag").GetString());
        Assert.Equal("order-2", system.GetProperty("keysList")[0].GetString());
        Assert.Matches("^01[0-9A-F]{32}$", system.GetProperty("messageId").GetString());
        Assert.Equal((int)MessageType.Normal, system.GetProperty("messageType").GetInt32());
        Assert.Equal("us", message.GetProperty("userPropertiesMap")[0][1].GetString());

        var settingsCommand = proxy.Requests<TelemetryCommand>("Telemetry").Last();
        var settings = (await DecodeWithOfficialCodeAsync("TelemetryCommand", settingsCommand)).GetProperty("settings");
        Assert.Equal((int)ClientType.SimpleConsumer, settings.GetProperty("clientType").GetInt32());
        Assert.Equal((int)Language.DotNet, settings.GetProperty("userAgent").GetProperty("language").GetInt32());
        var subscription = settings.GetProperty("subscription");
        Assert.Equal("GID_orders", subscription.GetProperty("group").GetProperty("name").GetString());
        var expression = subscription.GetProperty("subscriptionsList")[0].GetProperty("expression");
        Assert.Equal((int)FilterType.Sql, expression.GetProperty("type").GetInt32());
        Assert.Equal("region = 'us'", expression.GetProperty("expression").GetString());

        var receive = await DecodeWithOfficialCodeAsync("ReceiveMessageRequest", Assert.Single(proxy.Requests<ReceiveMessageRequest>("ReceiveMessage")));
        Assert.Equal(8, receive.GetProperty("batchSize").GetInt32());
        Assert.Equal(20, receive.GetProperty("invisibleDuration").GetProperty("seconds").GetInt32());
        Assert.Equal(5, receive.GetProperty("longPollingTimeout").GetProperty("seconds").GetInt32());
    }
}
