using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Integration;

/// <summary>Credentials, security token and RocketMQ namespace reach the proxy (the emulator checks signatures).</summary>
public class ConnectionSettingsTests
{
    private static async Task<EmulatedRocketMq> SignedEmulatorAsync() =>
        await EmulatedRocketMq.StartAsync(options => (options.AccessKey, options.SecretKey) = ("AK-orders", "SK-orders"));

    [Fact]
    public async Task Signed_requests_with_a_namespace_consume_and_ack()
    {
        await using var rocketMq = await SignedEmulatorAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var id = await rocketMq.SendAsync(EmulatedRocketMq.Order("orders", 1));
        await using var adapter = InProcessAdapter.Start(rocketMq, sink.Uri, "orders", "order-adapter",
            [("ROCKETMQ_ACCESS_KEY", "AK-orders"), ("ROCKETMQ_SECRET_KEY", "SK-orders"), ("ROCKETMQ_SECURITY_TOKEN", "token-1"), ("ROCKETMQ_NAMESPACE", "shop-instance")]);

        await Eventually.WaitAsync(() => rocketMq.Stats("order-adapter", "orders") is { Acked: 1, InFlight: 0 }, "acked");

        Assert.Equal(id, Assert.Single(sink.Requests).EventId);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_proxy()
    {
        await using var rocketMq = await SignedEmulatorAsync();
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(
            ("ROCKETMQ_ENDPOINTS", rocketMq.Endpoint), ("ROCKETMQ_ACCESS_KEY", "AK-orders"), ("ROCKETMQ_SECRET_KEY", "wrong")));
        await using var source = new SimpleConsumerSource(options.RocketMq, NullLogger<SimpleConsumerSource>.Instance);

        await Assert.ThrowsAsync<UnauthorizedException>(() => source.StartAsync(CancellationToken.None));
    }
}
