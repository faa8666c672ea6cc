using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>Our clients against the emulator: start-up handshake, credentials and shutdown.</summary>
public sealed class LifecycleIntegrationTests
{
    [Fact]
    public async Task Start_completes_the_settings_handshake_and_applies_the_servers_values()
    {
        await using var harness = await EmulatorHarness.StartAsync(o => o.MaxDeliveryAttempts = 5);
        harness.Emulator.DeclareFifoTopic("fifo-orders");

        var (producer, consumer) = await harness.PairAsync("orders", "GID_plain", awaitDuration: TimeSpan.FromSeconds(30));
        var fifoConsumer = await harness.ConsumerAsync("GID_fifo", "fifo-orders");

        // Producer: the proxy's publishing limits and retry policy replace the client defaults.
        Assert.Equal(4 * 1024 * 1024, producer.Core.Server.MaxBodySize);
        Assert.True(producer.Core.Server.ValidateMessageType);
        Assert.Equal(TimeSpan.FromMilliseconds(10), producer.Core.Server.Backoff.DelayBeforeRetry(1));
        Assert.Equal(TimeSpan.FromMilliseconds(20), producer.Core.Server.Backoff.DelayBeforeRetry(2));
        Assert.Equal(TimeSpan.FromSeconds(1), producer.Core.Server.Backoff.DelayBeforeRetry(20));

        // Consumer: batch cap, polling cap (which bounds the 30 s await), ordering and max attempts.
        Assert.Equal(new Internal.ServerSubscriptionSettings(false, 32, TimeSpan.FromSeconds(20), 5), consumer.Core.Server);
        Assert.Equal(TimeSpan.FromSeconds(20), consumer.Core.LongPollingTimeout);
        Assert.True(fifoConsumer.Core.Server.Fifo);

        Assert.Equal(3, harness.Emulator.ConnectedClients);
    }

    [Fact]
    public async Task A_producer_refuses_a_plain_message_for_a_fifo_topic_because_the_route_says_so()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.DeclareFifoTopic("fifo-only");
        var producer = await harness.ProducerAsync("fifo-only");

        var refused = await Assert.ThrowsAsync<BadRequestException>(() => producer.SendAsync(EmulatorHarness.Text("fifo-only", "plain")));

        Assert.Equal((int)Code.MessagePropertyConflictWithType, refused.ResponseCode);
        Assert.Equal("MESSAGE_PROPERTY_CONFLICT_WITH_TYPE", refused.CodeName);
        Assert.Equal(0, Assert.Single(harness.Emulator.GetTopicStats(), t => t.Topic == "fifo-only").Stored);
    }

    [Fact]
    public async Task Signed_requests_are_accepted_and_a_wrong_or_missing_secret_is_unauthorized()
    {
        await using var harness = await EmulatorHarness.StartAsync(o =>
        {
            o.AccessKey = "AK-int";
            o.SecretKey = "secret-int";
        });
        var good = new StaticSessionCredentialsProvider("AK-int", "secret-int", "sts-token");

        var producer = harness.Track(await harness.ProducerBuilder(["signed"], good).BuildAsync());
        var consumer = harness.Track(await harness.ConsumerBuilder("GID_signed", "signed", credentials: good).BuildAsync());
        var receipt = await producer.SendAsync(EmulatorHarness.Text("signed", "signed body"));
        var received = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, TimeSpan.FromSeconds(30)));
        await consumer.AckAsync(received);
        Assert.Equal(receipt.MessageId, received.MessageId);

        var wrongSecret = new StaticSessionCredentialsProvider("AK-int", "not-the-secret");
        var unauthorized = await Assert.ThrowsAsync<UnauthorizedException>(() => harness.ProducerBuilder(["signed"], wrongSecret).BuildAsync());
        Assert.Equal(40100, unauthorized.ResponseCode);
        Assert.Equal("UNAUTHORIZED", unauthorized.CodeName);

        var wrongKey = new StaticSessionCredentialsProvider("AK-other", "secret-int");
        await Assert.ThrowsAsync<UnauthorizedException>(() => harness.ConsumerBuilder("GID_signed", "signed", credentials: wrongKey).BuildAsync());
        await Assert.ThrowsAsync<UnauthorizedException>(() => harness.ConsumerBuilder("GID_signed", "signed").BuildAsync());

        Assert.Equal(2, harness.Emulator.ConnectedClients);
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_signed", "signed").Acked);
    }

    [Fact]
    public async Task Dispose_leaves_the_proxy_and_unacked_messages_come_back_to_the_group()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await using (var producer = await harness.ProducerBuilder(["leaving"]).BuildAsync())
        {
            await producer.SendAsync(EmulatorHarness.Text("leaving", "not acked"));
            var consumer = await harness.ConsumerBuilder("GID_leaving", "leaving").BuildAsync();
            Assert.Equal(2, harness.Emulator.ConnectedClients);

            var taken = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, TimeSpan.FromSeconds(1)));
            await consumer.DisposeAsync();
            Assert.Equal(1, harness.Emulator.ConnectedClients);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.ReceiveAsync(1, TimeSpan.FromSeconds(1)));

            var successor = await harness.ConsumerAsync("GID_leaving", "leaving");
            var again = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(successor, 1, TimeSpan.FromSeconds(30)));
            Assert.Equal((taken.MessageId, 2), (again.MessageId, again.DeliveryAttempt));
            await successor.AckAsync(again);
        }

        Assert.Equal(1, harness.Emulator.ConnectedClients);
        Assert.Equal(new Emulator.ConsumerGroupStats("GID_leaving", "leaving", 0, 0, 1, 0), harness.Emulator.GetGroupStats("GID_leaving", "leaving"));
    }

    [Fact]
    public async Task Dispose_ends_a_parked_receive_at_once_and_the_proxy_pops_nothing_for_it()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var producer = await harness.ProducerAsync("parked");
        var consumer = await harness.ConsumerBuilder("GID_parked", "parked", awaitDuration: TimeSpan.FromSeconds(15)).BuildAsync();
        var receive = consumer.ReceiveAsync(32, TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(() => harness.Emulator.ParkedReceives == 1, "the receive parked in the proxy's long poll");
        Assert.False(receive.IsCompleted);

        await consumer.DisposeAsync();

        // Generous bound: without the stop, the poll would run its full 15 s and return normally.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(TimeSpan.FromSeconds(7.5)));
        var receipt = await producer.SendAsync(EmulatorHarness.Text("parked", "for the next consumer"));
        var successor = await harness.ConsumerAsync("GID_parked", "parked");
        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(successor, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal((receipt.MessageId, 1), (message.MessageId, message.DeliveryAttempt));
    }

    [Fact]
    public async Task Heartbeats_keep_the_session_alive_past_the_proxys_expiry()
    {
        var clock = new ManualClock();
        await using var harness = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var never = TimeSpan.FromHours(1);
        var heartbeating = harness.Track(await harness.ConsumerBuilder("GID_alive", "alive").SetTimings(new ClientTimings
        {
            HeartbeatDelay = TimeSpan.FromMilliseconds(10),
            HeartbeatPeriod = TimeSpan.FromMilliseconds(50),
            RouteRefreshDelay = never,
            SettingsSyncDelay = never,
        }).BuildAsync());
        var silent = harness.Track(await harness.ConsumerBuilder("GID_silent", "alive").SetTimings(new ClientTimings
        {
            HeartbeatDelay = never,
            RouteRefreshDelay = never,
            SettingsSyncDelay = never,
        }).BuildAsync());
        Assert.Equal(2, harness.Emulator.ConnectedClients);

        // 300 s of proxy time in 10 s steps, each followed by a heartbeat of the beating client (it
        // beats every 50 ms of real time); the session lapses after 120 s without one.
        for (var i = 0; i < 30; i++)
        {
            var beats = harness.Emulator.HeartbeatsReceived;
            clock.Advance(TimeSpan.FromSeconds(10));
            await Eventually.WaitAsync(() => harness.Emulator.HeartbeatsReceived > beats, "a heartbeat after the proxy's clock moved");
        }

        Assert.Equal(1, harness.Emulator.ConnectedClients);
        var lapsed = await Assert.ThrowsAsync<BadRequestException>(() => silent.ReceiveAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(((int)Code.UnrecognizedClientType, "UNRECOGNIZED_CLIENT_TYPE"), (lapsed.ResponseCode, lapsed.CodeName));

        var producer = await harness.ProducerAsync("alive");
        var receipt = await producer.SendAsync(EmulatorHarness.Text("alive", "still here"));
        Assert.Equal(receipt.MessageId, Assert.Single(await heartbeating.ReceiveAsync(1, TimeSpan.FromSeconds(30))).MessageId);
    }
}
