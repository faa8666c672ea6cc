using System.Text;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing;
using Xunit.Abstractions;

namespace RocketMqSource.Adapter.Tests.Hosting;

/// <summary>
/// Issue 21's regression, through the real adapter process: a valid binary-mode CloudEvent whose
/// message has no <c>CE_contenttype</c> (datacontenttype is OPTIONAL in CloudEvents 1.0) reaches
/// the sink. Before the fix the SDK's HTTP encoder refused it and the adapter abandoned the message
/// on every delivery until RocketMQ moved it to %DLQ%.
/// </summary>
public class ForwardedCloudEventTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_binary_mode_cloudevent_without_ce_contenttype_reaches_the_sink_through_the_real_adapter()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        await using var deadLetters = await LoopbackSink.StartAsync(SinkReply.Accepted);
        byte[] json = Encoding.UTF8.GetBytes("""{"orderId":7}""");
        byte[] binary = [0xFF, 0x00, 0xC3, 0x28];
        // As the issue's producer sent them: attributes as CE_ properties, one with CE_datacontenttype, one with no content type at all.
        var withDataContentType = await rocketMq.SendAsync(Event("evt-json", json, ("CE_datacontenttype", "application/json")));
        var withoutContentType = await rocketMq.SendAsync(Event("evt-bytes", binary));
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = sink.Uri.AbsoluteUri,
            ["K_DEAD_LETTER_SINK"] = deadLetters.Uri.AbsoluteUri,
            ["ROCKETMQ_ENDPOINTS"] = rocketMq.Endpoint,
            ["ROCKETMQ_TOPIC"] = "orders",
            ["ROCKETMQ_CONSUMER_GROUP"] = "g",
            ["ROCKETMQ_INVISIBLE_DURATION"] = "10s",
        };

        await using var adapter = await AdapterProcess.StartAsync(env);
        try
        {
            await Eventually.WaitAsync(() => rocketMq.Stats("g", "orders") is { Acked: 2, InFlight: 0 }, "both messages acked");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"sink got {sink.Requests.Count}, dead-letter sink {deadLetters.Requests.Count}; emulator {rocketMq.Stats("g", "orders")}\n{adapter.Log}");
            throw;
        }

        Assert.Empty(deadLetters.Requests);
        var first = Assert.Single(sink.Requests, r => r.EventId == "evt-json");
        Assert.Equal("application/json", first.Header("content-type"));
        Assert.Equal(json, first.Body);
        Assert.Equal("com.example.order.created", first.Header("ce-type"));
        Assert.Equal("order-7", first.Header("ce-subject"));
        Assert.Equal("customer-7", first.Header("ce-partitionkey"));
        var second = Assert.Single(sink.Requests, r => r.EventId == "evt-bytes");
        // No datacontenttype: binary mode with no Content-Type header, the data bytes as they are.
        Assert.False(second.Headers.ContainsKey("content-type"), $"content-type {second.Header("content-type")}");
        Assert.False(second.Headers.ContainsKey("ce-datacontenttype"));
        Assert.Equal(binary, second.Body);
        Assert.NotEqual(withDataContentType, withoutContentType);
    }

    private static Message Event(string id, byte[] body, params (string Key, string Value)[] more)
    {
        var builder = new Message.Builder().SetTopic("orders").SetBody(body).SetTag("created")
            .AddProperty("CE_specversion", "1.0")
            .AddProperty("CE_id", id)
            .AddProperty("CE_source", "https://shop.example.com/orders")
            .AddProperty("CE_type", "com.example.order.created")
            .AddProperty("CE_subject", "order-7")
            .AddProperty("CE_partitionkey", "customer-7");
        foreach (var (key, value) in more)
        {
            builder.AddProperty(key, value);
        }

        return builder.Build();
    }
}
