using System.Diagnostics;
using System.Text;
using RocketMqSource.Emulator;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>Our Producer and SimpleConsumer against the emulator: what is sent is what is received and acked.</summary>
public sealed class SendReceiveIntegrationTests
{
    private static readonly TimeSpan Invisible = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_sent_message_is_received_with_every_field_and_acked()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("orders", "GID_orders");

        var before = DateTime.UtcNow;
        var receipt = await producer.SendAsync(EmulatorHarness.Text("orders", "{\"order\":1}", m => m
            .SetTag("created").SetKeys("order-1", "customer-9").AddProperty("region", "eu").AddProperty("amount", "250")));
        var after = DateTime.UtcNow;

        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Invisible));
        Assert.Matches("^01[0-9A-F]{32}$", receipt.MessageId);
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal("orders", message.Topic);
        Assert.Equal("{\"order\":1}", Encoding.UTF8.GetString(message.Body));
        Assert.Equal("created", message.Tag);
        Assert.Equal(["order-1", "customer-9"], message.Keys);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["amount"] = "250" }, message.Properties);
        Assert.Null(message.MessageGroup);
        Assert.Null(message.DeliveryTimestamp);
        Assert.Equal(ClientIdentity.HostName, message.BornHost);
        Assert.InRange(message.BornTime, before.AddMilliseconds(-1), after.AddMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, message.BornTime.Kind);
        Assert.Equal(1, message.DeliveryAttempt);
        Assert.False(string.IsNullOrEmpty(message.ReceiptHandle));
        Assert.Equal(new ConsumerGroupStats("GID_orders", "orders", 0, 1, 0, 0), harness.Emulator.GetGroupStats("GID_orders", "orders"));

        await consumer.AckAsync(message);

        Assert.Equal(new ConsumerGroupStats("GID_orders", "orders", 0, 0, 1, 0), harness.Emulator.GetGroupStats("GID_orders", "orders"));
        Assert.Empty(await consumer.ReceiveAsync(32, Invisible));
    }

    [Fact]
    public async Task A_batched_ack_reports_each_entry_and_a_stale_handle_fails_alone()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("batch", "GID_batch");
        for (var i = 1; i <= 3; i++)
        {
            await producer.SendAsync(EmulatorHarness.Text("batch", $"m{i}"));
        }

        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 3, Invisible);
        var rotated = received[1];
        var staleHandle = rotated.ReceiptHandle;
        await consumer.ChangeInvisibleDurationAsync(rotated, Invisible);
        var stale = EmulatorHarness.WithHandle(rotated, staleHandle);

        var results = await consumer.AckAsync([received[0], stale, received[2]]);

        Assert.Equal([received[0], stale, received[2]], results.Select(r => r.Message));
        Assert.True(results[0].IsSuccess);
        Assert.True(results[2].IsSuccess);
        var error = Assert.IsType<BadRequestException>(results[1].Error);
        Assert.Equal((40013, "INVALID_RECEIPT_HANDLE"), (error.ResponseCode, error.CodeName));
        Assert.Equal(2, harness.Emulator.GetGroupStats("GID_batch", "batch").Acked);

        // The rotated view holds the new handle, so it still acks.
        Assert.True(Assert.Single(await consumer.AckAsync([rotated])).IsSuccess);
        Assert.Equal(new ConsumerGroupStats("GID_batch", "batch", 0, 0, 3, 0), harness.Emulator.GetGroupStats("GID_batch", "batch"));
    }

    [Fact]
    public async Task A_receive_parked_on_an_empty_topic_returns_soon_after_a_send()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("quiet", "GID_quiet", awaitDuration: TimeSpan.FromSeconds(15));

        var receive = consumer.ReceiveAsync(32, Invisible);
        await Eventually.WaitAsync(() => harness.Emulator.ParkedReceives == 1, "the receive parked in the proxy's long poll");
        Assert.False(receive.IsCompleted);

        var watch = Stopwatch.StartNew();
        var receipt = await producer.SendAsync(EmulatorHarness.Text("quiet", "wake up"));
        var received = await receive.WaitAsync(TimeSpan.FromSeconds(30));
        watch.Stop();

        Assert.Equal(receipt.MessageId, Assert.Single(received).MessageId);
        // Generous bound: a parked poll that ignored the send would return empty after 15 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(7.5), $"receive returned {watch.Elapsed} after the send");
    }

    [Fact]
    public async Task A_delayed_message_stays_hidden_until_its_delivery_time()
    {
        // The proxy's clock and its long-poll timers move only when the test says.
        var clock = new ManualClock { ControlsTimers = true };
        await using var harness = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var (producer, consumer) = await harness.PairAsync("later", "GID_later", awaitDuration: TimeSpan.FromSeconds(15));

        var due = clock.GetUtcNow().UtcDateTime.AddSeconds(3);
        var receipt = await producer.SendAsync(EmulatorHarness.Text("later", "later", m => m.SetDeliveryTimestamp(due)));
        var receive = consumer.ReceiveAsync(32, Invisible);
        await Eventually.WaitAsync(() => harness.Emulator.ParkedReceives == 1, "the receive parked: nothing visible yet");
        clock.Advance(TimeSpan.FromSeconds(2.9));

        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_later", "later").Delayed);
        Assert.False(receive.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var message = Assert.Single(await receive.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal(due, message.DeliveryTimestamp);
        await consumer.AckAsync(message);
        Assert.Equal(new ConsumerGroupStats("GID_later", "later", 0, 0, 1, 0), harness.Emulator.GetGroupStats("GID_later", "later"));
    }

    [Fact]
    public async Task Tag_filters_deliver_only_listed_tags()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("tagged", "GID_tags", new FilterExpression("paid || shipped"));
        string?[] tags = ["created", "paid", null, "shipped", "Paid"];
        foreach (var tag in tags)
        {
            await producer.SendAsync(EmulatorHarness.Text("tagged", tag ?? "untagged", m =>
            {
                if (tag is not null)
                {
                    m.SetTag(tag);
                }
            }));
        }

        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 2, Invisible);
        received.AddRange(await consumer.ReceiveAsync(32, Invisible));

        Assert.Equal(["paid", "shipped"], received.Select(m => m.Tag).Order());
        Assert.All(await consumer.AckAsync(received), r => Assert.True(r.IsSuccess));
        var stats = harness.Emulator.GetGroupStats("GID_tags", "tagged");
        Assert.Equal((0, 0, 2), (stats.Backlog, stats.InFlight, stats.Acked));
    }

    [Fact]
    public async Task Sql92_filters_select_on_user_properties()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("sql", "GID_sql", new FilterExpression("region = 'us' AND amount > 100", ExpressionType.Sql92));
        (string Region, string Amount)[] orders = [("eu", "500"), ("us", "250"), ("us", "99"), ("us", "101")];
        foreach (var (region, amount) in orders)
        {
            await producer.SendAsync(EmulatorHarness.Text("sql", $"{region}-{amount}", m => m.AddProperty("region", region).AddProperty("amount", amount)));
        }

        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 2, Invisible);
        received.AddRange(await consumer.ReceiveAsync(32, Invisible));

        Assert.Equal(["us-101", "us-250"], received.Select(m => Encoding.UTF8.GetString(m.Body)).Order());
        Assert.All(await consumer.AckAsync(received), r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public async Task A_subscription_added_at_runtime_is_received_alongside_the_first_and_a_removed_one_is_not()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var producer = await harness.ProducerAsync("first", "second");
        var consumer = await harness.ConsumerAsync("GID_multi", "first");

        await consumer.SubscribeAsync("second", new FilterExpression("wanted"));
        var wanted = await producer.SendAsync(EmulatorHarness.Text("second", "wanted", m => m.SetTag("wanted")));
        await producer.SendAsync(EmulatorHarness.Text("second", "unwanted", m => m.SetTag("other")));
        var onFirst = await producer.SendAsync(EmulatorHarness.Text("first", "first"));
        var received = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 2, Invisible);

        Assert.Equal(["first", "second"], consumer.Subscriptions.Keys.Order());
        Assert.Equal(new[] { onFirst.MessageId, wanted.MessageId }.Order(), received.Select(m => m.MessageId).Order());
        Assert.All(await consumer.AckAsync(received), r => Assert.True(r.IsSuccess));

        await consumer.UnsubscribeAsync("first");
        await producer.SendAsync(EmulatorHarness.Text("first", "after unsubscribe"));
        Assert.Empty(await consumer.ReceiveAsync(32, Invisible));
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_multi", "first").Backlog);
    }

    [Fact]
    public async Task Clients_configured_with_a_namespace_send_receive_and_ack_through_the_emulator()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var config = new ClientConfig.Builder().SetEndpoints(harness.Emulator.Endpoint).EnableSsl(false).SetNamespace("ns-1").Build();
        var producer = harness.Track(await new Producer.Builder().SetClientConfig(config).SetTopics("scoped").BuildAsync());
        var consumer = harness.Track(await new SimpleConsumer.Builder().SetClientConfig(config).SetConsumerGroup("GID_scoped")
            .SetAwaitDuration(EmulatorHarness.ShortAwait)
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["scoped"] = FilterExpression.SubAll }).BuildAsync());

        var receipt = await producer.SendAsync(EmulatorHarness.Text("scoped", "namespaced"));
        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Invisible));
        await consumer.AckAsync(message);

        Assert.Equal((receipt.MessageId, "scoped"), (message.MessageId, message.Topic));
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_scoped", "scoped").Acked);
    }
}
