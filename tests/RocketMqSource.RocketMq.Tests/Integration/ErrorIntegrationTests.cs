using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>Bad input: the emulator's in-band errors surface from our client as typed exceptions with the proxy's code.</summary>
public sealed class ErrorIntegrationTests
{
    [Fact]
    public async Task Too_short_or_too_long_invisible_durations_are_illegal_invisible_time()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("durations", "GID_durations");
        await producer.SendAsync(EmulatorHarness.Text("durations", "x"));

        var tooShort = await Assert.ThrowsAsync<BadRequestException>(() => consumer.ReceiveAsync(1, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(((int)Code.IllegalInvisibleTime, "ILLEGAL_INVISIBLE_TIME"), (tooShort.ResponseCode, tooShort.CodeName));
        Assert.NotNull(tooShort.RequestId);

        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, TimeSpan.FromSeconds(30)));
        var tooLong = await Assert.ThrowsAsync<BadRequestException>(() => consumer.ChangeInvisibleDurationAsync(message, TimeSpan.FromHours(13)));
        Assert.Equal((int)Code.IllegalInvisibleTime, tooLong.ResponseCode);
        await consumer.AckAsync(message);
    }

    [Fact]
    public async Task A_bad_sql_filter_is_illegal_filter_expression()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var consumer = await harness.ConsumerAsync("GID_badsql", "badsql", new FilterExpression("a = = 1", ExpressionType.Sql92));

        var error = await Assert.ThrowsAsync<BadRequestException>(() => consumer.ReceiveAsync(1, TimeSpan.FromSeconds(30)));

        Assert.Equal(((int)Code.IllegalFilterExpression, "ILLEGAL_FILTER_EXPRESSION"), (error.ResponseCode, error.CodeName));
    }

    [Fact]
    public async Task An_illegal_topic_is_refused_by_the_client_and_by_the_proxy_with_the_same_code()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        // Our public API refuses it before any call, as the official builders do.
        Assert.Throws<ArgumentException>(() => EmulatorHarness.Text("bad topic!", "x"));
        Assert.Throws<ArgumentException>(() => harness.ProducerBuilder(["rmq_sys_x"]));
        var local = Assert.IsType<BadRequestException>(MessageValidator.ValidateTopic("bad topic!")!.ToException());

        // The proxy answers the same code when a request gets through; our client maps it to the same type.
        using var rpc = new MessagingRpc(harness.Config(), ClientIdentity.NewClientId());
        var endpoint = harness.Config().AccessPoint.Addresses[0];
        foreach (var topic in new[] { "bad topic!", "rmq_sys_x", new string('t', 128) })
        {
            var result = await rpc.QueryRouteAsync(endpoint, new QueryRouteRequest { Topic = new Resource { Name = topic } }, CancellationToken.None);
            var remote = Assert.Throws<BadRequestException>(() => StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId));
            Assert.Equal((local.ResponseCode, local.CodeName), (remote.ResponseCode, remote.CodeName));
            Assert.Equal(result.RequestId, remote.RequestId);
        }
    }

    [Fact]
    public async Task Acking_with_a_handle_that_is_not_one_of_the_proxys_is_an_internal_server_error()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("garbage", "GID_garbage");
        await producer.SendAsync(EmulatorHarness.Text("garbage", "x"));
        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<InternalErrorException>(() => consumer.AckAsync(EmulatorHarness.WithHandle(message, "not-a-handle")));

        Assert.Equal(((int)Code.InternalServerError, "INTERNAL_SERVER_ERROR"), (error.ResponseCode, error.CodeName));
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_garbage", "garbage").InFlight);
    }
}
