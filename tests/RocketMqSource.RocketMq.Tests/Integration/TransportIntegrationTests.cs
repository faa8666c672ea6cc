using System.Security.Cryptography;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>Our transport and the emulator's under load: big bodies, many parked streams, batch caps, IPv6, a vanished proxy.</summary>
public sealed class TransportIntegrationTests
{
    private static readonly TimeSpan Invisible = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bodies_up_to_the_servers_limit_travel_byte_for_byte_and_larger_ones_are_refused()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("big", "GID_big");
        var largest = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        var bodies = new Dictionary<string, byte[]>
        {
            [(await producer.SendAsync(new Message.Builder().SetTopic("big").SetBody(largest).Build())).MessageId] = largest,
            [(await producer.SendAsync(new Message.Builder().SetTopic("big").SetBody([42]).Build())).MessageId] = [42],
        };

        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 2, Invisible);

        Assert.All(received, m => Assert.Equal(bodies[m.MessageId], m.Body));
        var tooLarge = await Assert.ThrowsAsync<PayloadTooLargeException>(() =>
            producer.SendAsync(new Message.Builder().SetTopic("big").SetBody(new byte[(4 * 1024 * 1024) + 1]).Build()));
        Assert.Equal((int)Code.MessageBodyTooLarge, tooLarge.ResponseCode);
        Assert.Equal(2, Assert.Single(harness.Emulator.GetTopicStats(), t => t.Topic == "big").Stored);
    }

    [Fact]
    public async Task Many_parked_receives_on_one_connection_each_get_a_different_message()
    {
        const int Parallel = 16;
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("crowd", "GID_crowd", awaitDuration: TimeSpan.FromSeconds(15));

        var receives = Enumerable.Range(0, Parallel).Select(_ => consumer.ReceiveAsync(1, Invisible)).ToList();
        var sent = new List<string>();
        for (var i = 0; i < Parallel; i++)
        {
            sent.Add((await producer.SendAsync(EmulatorHarness.Text("crowd", $"m{i}"))).MessageId);
        }

        var received = (await Task.WhenAll(receives).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(batch => batch).ToList();

        Assert.Equal(sent.Order(), received.Select(m => m.MessageId).Order());
        Assert.All(await consumer.AckAsync(received), r => Assert.True(r.IsSuccess));
        Assert.Equal(Parallel, harness.Emulator.GetGroupStats("GID_crowd", "crowd").Acked);
    }

    [Fact]
    public async Task A_receive_asking_for_more_than_the_servers_batch_size_gets_at_most_that_many()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("bulk", "GID_bulk");
        for (var i = 0; i < 40; i++)
        {
            await producer.SendAsync(EmulatorHarness.Text("bulk", $"m{i}"));
        }

        var first = await consumer.ReceiveAsync(100, Invisible);
        var rest = await consumer.ReceiveAsync(100, Invisible);

        Assert.Equal(32, first.Count);
        Assert.Equal(8, rest.Count);
        Assert.Equal(40, first.Concat(rest).Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Clients_reach_an_emulator_on_ipv6_loopback()
    {
        await using var harness = await EmulatorHarness.StartAsync(o => o.Listen = "[::1]:0");
        var (producer, consumer) = await harness.PairAsync("v6", "GID_v6");

        var receipt = await producer.SendAsync(EmulatorHarness.Text("v6", "over ipv6"));
        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Invisible));
        await consumer.AckAsync(message);

        Assert.StartsWith("[::1]:", harness.Emulator.Endpoint, StringComparison.Ordinal);
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_v6", "v6").Acked);
    }

    [Fact]
    public async Task When_the_proxy_goes_away_calls_fail_as_unavailable_and_dispose_still_completes()
    {
        var options = new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", MinInvisibleDuration = TimeSpan.FromSeconds(1), MinLongPollingTimeout = TimeSpan.FromSeconds(1) };
        var emulator = await RocketMqEmulator.StartAsync(options);
        var config = new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build();
        var producer = await new Producer.Builder().SetClientConfig(config).SetTopics("gone").BuildAsync();
        var consumer = await new SimpleConsumer.Builder().SetClientConfig(config).SetConsumerGroup("GID_gone")
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["gone"] = FilterExpression.SubAll }).BuildAsync();

        await emulator.DisposeAsync();

        var send = await Assert.ThrowsAsync<RpcException>(() => producer.SendAsync(EmulatorHarness.Text("gone", "nobody home")));
        Assert.True(send.IsUnavailable, send.ToString());
        var receive = await Assert.ThrowsAsync<RpcException>(() => consumer.ReceiveAsync(1, Invisible));
        Assert.True(receive.IsUnavailable, receive.ToString());
        await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await consumer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task After_the_proxy_restarts_the_clients_register_again_and_carry_on()
    {
        var port = LoopbackPort.GetFree();
        RocketMqEmulatorOptions Options() => new()
        {
            Listen = $"127.0.0.1:{port}",
            MinInvisibleDuration = TimeSpan.FromSeconds(1),
            MinLongPollingTimeout = TimeSpan.FromSeconds(1),
        };
        var config = new ClientConfig.Builder().SetEndpoints($"127.0.0.1:{port}").EnableSsl(false).Build();
        // No periodic settings re-sync during the test: only the repair of the broken stream can help.
        var timings = new ClientTimings { SettingsSyncDelay = TimeSpan.FromHours(1) };
        var first = await RocketMqEmulator.StartAsync(Options());
        await using var producer = await new Producer.Builder().SetClientConfig(config).SetTopics("restart").SetTimings(timings).BuildAsync();
        await using var consumer = await new SimpleConsumer.Builder().SetClientConfig(config).SetConsumerGroup("GID_restart")
            .SetAwaitDuration(TimeSpan.FromSeconds(1)).SetTimings(timings)
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["restart"] = FilterExpression.SubAll }).BuildAsync();
        await first.DisposeAsync();

        await using var second = await RocketMqEmulator.StartAsync(Options());

        // The new proxy knows neither client until their settings arrive on a reopened telemetry stream.
        await Eventually.WaitAsync(() => second.ConnectedClients >= 2, "both clients back on the new proxy");

        var receipt = await producer.SendAsync(EmulatorHarness.Text("restart", "after restart"));
        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Invisible));
        await consumer.AckAsync(message);
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal(1, second.GetGroupStats("GID_restart", "restart").Acked);
    }
}
