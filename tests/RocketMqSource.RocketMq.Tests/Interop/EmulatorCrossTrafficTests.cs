using System.Text;
using System.Text.Json;
using RocketMqSource.RocketMq.Tests.Integration;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Interop;

/// <summary>
/// Cross traffic through the emulator with the official Apache Node client
/// (rocketmq-client-nodejs): its Producer feeds our SimpleConsumer, our Producer feeds its SimpleConsumer.
/// </summary>
public sealed class EmulatorCrossTrafficTests
{
    private static async Task<JsonElement> RunNodeAsync(EmulatorHarness harness, string script, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["ROCKETMQ_ENDPOINT"] = harness.Emulator.Endpoint };
        var result = await NodePeer.RunAsync(script, args, environment: environment, timeout: TimeSpan.FromSeconds(60));
        return JsonDocument.Parse(result.EnsureSuccess().StandardOutput).RootElement.Clone();
    }

    [Fact]
    public async Task Official_producer_messages_reach_our_simple_consumer_intact()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var sent = (await RunNodeAsync(harness, "rocketmq-produce.mjs", "node-to-dotnet")).GetProperty("sent").EnumerateArray().ToList();
        var consumer = await harness.ConsumerAsync("GID_from_node", "node-to-dotnet");
        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, sent.Count, TimeSpan.FromSeconds(30));

        Assert.Equal(3, sent.Count);
        Assert.Equal(sent.Count, received.Count);
        foreach (var expected in sent)
        {
            var message = Assert.Single(received, m => m.MessageId == expected.GetProperty("messageId").GetString());
            Assert.Matches("^01[0-9A-F]{32}$", message.MessageId);
            Assert.Equal("node-to-dotnet", message.Topic);
            Assert.Equal(expected.GetProperty("body").GetString(), Encoding.UTF8.GetString(message.Body));
            Assert.Equal(expected.GetProperty("tag").GetString(), message.Tag);
            Assert.Equal(expected.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), message.Keys);
            var properties = expected.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.Equal(properties, message.Properties);
            Assert.Equal(1, message.DeliveryAttempt);
            Assert.InRange(message.BornTime, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow);
        }

        Assert.All(await consumer.AckAsync(received), r => Assert.True(r.IsSuccess));
        Assert.Equal(new Emulator.ConsumerGroupStats("GID_from_node", "node-to-dotnet", 0, 0, 3, 0),
            harness.Emulator.GetGroupStats("GID_from_node", "node-to-dotnet"));
    }

    [Fact]
    public async Task Our_producer_messages_are_received_and_acked_by_the_official_simple_consumer()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var producer = await harness.ProducerAsync("dotnet-to-node");
        var sent = new Dictionary<string, int>();
        for (var i = 1; i <= 3; i++)
        {
            var receipt = await producer.SendAsync(EmulatorHarness.Text("dotnet-to-node", $"{{\"order\":{i}}}", m => m
                .SetTag(i == 2 ? "paid" : "created").SetKeys($"order-{i}", "customer-9").AddProperty("region", "eu").AddProperty("seq", $"{i}")));
            sent[receipt.MessageId] = i;
        }

        var received = (await RunNodeAsync(harness, "rocketmq-consume.mjs", "dotnet-to-node", "GID_from_dotnet", "3"))
            .GetProperty("received").EnumerateArray().ToList();

        Assert.Equal(sent.Keys.Order(), received.Select(m => m.GetProperty("messageId").GetString()).Order());
        foreach (var message in received)
        {
            var i = sent[message.GetProperty("messageId").GetString()!];
            Assert.Equal("dotnet-to-node", message.GetProperty("topic").GetString());
            Assert.Equal($"{{\"order\":{i}}}", message.GetProperty("body").GetString());
            Assert.Equal(i == 2 ? "paid" : "created", message.GetProperty("tag").GetString());
            Assert.Equal([$"order-{i}", "customer-9"], message.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal("eu", message.GetProperty("properties").GetProperty("region").GetString());
            Assert.Equal($"{i}", message.GetProperty("properties").GetProperty("seq").GetString());
            Assert.Equal(1, message.GetProperty("deliveryAttempt").GetInt32());
            // The official client checks the body digest the emulator computed.
            Assert.False(message.GetProperty("corrupted").GetBoolean());
            Assert.NotEqual(JsonValueKind.Null, message.GetProperty("bornTimestamp").ValueKind);
        }

        Assert.Equal(new Emulator.ConsumerGroupStats("GID_from_dotnet", "dotnet-to-node", 0, 0, 3, 0),
            harness.Emulator.GetGroupStats("GID_from_dotnet", "dotnet-to-node"));
    }

    [Fact]
    public async Task Our_fifo_messages_reach_the_official_simple_consumer_in_order_with_their_group()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.DeclareFifoTopic("dotnet-fifo");
        var producer = await harness.ProducerAsync("dotnet-fifo");
        var sent = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            sent.Add((await producer.SendAsync(EmulatorHarness.Text("dotnet-fifo", $"step-{i}", m => m.SetMessageGroup("customer-7")))).MessageId);
        }

        var received = (await RunNodeAsync(harness, "rocketmq-consume.mjs", "dotnet-fifo", "GID_fifo_node", "4"))
            .GetProperty("received").EnumerateArray().ToList();

        Assert.Equal(sent, received.Select(m => m.GetProperty("messageId").GetString()));
        Assert.Equal(["step-1", "step-2", "step-3", "step-4"], received.Select(m => m.GetProperty("body").GetString()));
        Assert.All(received, m => Assert.Equal("customer-7", m.GetProperty("messageGroup").GetString()));
        Assert.Equal(4, harness.Emulator.GetGroupStats("GID_fifo_node", "dotnet-fifo").Acked);
    }
}
