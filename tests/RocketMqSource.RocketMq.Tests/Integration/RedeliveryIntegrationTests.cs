using System.Text;
using RocketMqSource.Emulator;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>Invisibility, receipt handles, FIFO and dead-lettering: our SimpleConsumer against the emulator.</summary>
public sealed class RedeliveryIntegrationTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unacked_message_comes_back_with_the_next_attempt_and_its_old_handle_is_refused()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("retry", "GID_retry");
        var receipt = await producer.SendAsync(EmulatorHarness.Text("retry", "redeliver me", m => m.SetTag("retry")));

        var first = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Short));
        var second = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Long));

        Assert.Equal(receipt.MessageId, first.MessageId);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal((1, 2), (first.DeliveryAttempt, second.DeliveryAttempt));
        Assert.Equal("redeliver me", Encoding.UTF8.GetString(second.Body));
        Assert.Equal("retry", second.Tag);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);

        var stale = await Assert.ThrowsAsync<BadRequestException>(() => consumer.AckAsync(first));
        Assert.Equal((40013, "INVALID_RECEIPT_HANDLE"), (stale.ResponseCode, stale.CodeName));
        await consumer.AckAsync(second);
        Assert.Equal(new ConsumerGroupStats("GID_retry", "retry", 0, 0, 1, 0), harness.Emulator.GetGroupStats("GID_retry", "retry"));
    }

    [Fact]
    public async Task Change_invisible_duration_rotates_the_handle_and_extends_the_invisibility()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("extend", "GID_extend", awaitDuration: TimeSpan.FromSeconds(3));
        await producer.SendAsync(EmulatorHarness.Text("extend", "keep me"));

        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, TimeSpan.FromSeconds(2)));
        var oldHandle = message.ReceiptHandle;
        var newHandle = await consumer.ChangeInvisibleDurationAsync(message, Long);

        Assert.NotEqual(oldHandle, newHandle);
        Assert.Equal(newHandle, message.ReceiptHandle);
        // The first 2 s lapse during this 3 s poll; the message stays hidden because it was extended.
        Assert.Empty(await consumer.ReceiveAsync(32, Long));
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_extend", "extend").InFlight);

        var refused = await Assert.ThrowsAsync<BadRequestException>(() => consumer.AckAsync(EmulatorHarness.WithHandle(message, oldHandle)));
        Assert.Equal(40013, refused.ResponseCode);
        await consumer.AckAsync(message);
        Assert.Equal(1, harness.Emulator.GetGroupStats("GID_extend", "extend").Acked);
    }

    [Fact]
    public async Task Change_invisible_duration_to_zero_hands_the_message_back_at_once()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var (producer, consumer) = await harness.PairAsync("nack", "GID_nack");
        await producer.SendAsync(EmulatorHarness.Text("nack", "again"));

        var message = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Long));
        await consumer.ChangeInvisibleDurationAsync(message, TimeSpan.Zero);
        var again = Assert.Single(await consumer.ReceiveAsync(32, Long));

        Assert.Equal((message.MessageId, 2), (again.MessageId, again.DeliveryAttempt));
        await consumer.AckAsync(again);
    }

    [Fact]
    public async Task Fifo_messages_arrive_in_order_block_the_group_while_in_flight_and_redeliver_in_order()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.DeclareFifoTopic("fifo");
        var (producer, consumer) = await harness.PairAsync("fifo", "GID_fifo");
        var sent = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            sent.Add((await producer.SendAsync(EmulatorHarness.Text("fifo", $"step-{i}", m => m.SetMessageGroup("customer-42")))).MessageId);
        }

        // Invisible longer than one poll, so the poll in between sees the queue locked.
        var invisible = TimeSpan.FromSeconds(3);
        var first = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 5, invisible);
        var whileBlocked = await consumer.ReceiveAsync(32, invisible);
        var redelivered = await EmulatorHarness.ReceiveAtLeastAsync(consumer, 5, Long);

        Assert.True(consumer.Core.Server.Fifo);
        Assert.Equal(sent, first.Select(m => m.MessageId));
        Assert.All(first, m => Assert.Equal(("customer-42", 1), (m.MessageGroup, m.DeliveryAttempt)));
        Assert.Empty(whileBlocked);
        Assert.Equal(sent, redelivered.Select(m => m.MessageId));
        Assert.All(redelivered, m => Assert.Equal(2, m.DeliveryAttempt));

        Assert.All(await consumer.AckAsync(redelivered), r => Assert.True(r.IsSuccess));
        var next = await producer.SendAsync(EmulatorHarness.Text("fifo", "step-6", m => m.SetMessageGroup("customer-42")));
        var after = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Long));
        Assert.Equal((next.MessageId, 1), (after.MessageId, after.DeliveryAttempt));
    }

    [Fact]
    public async Task A_message_that_reaches_max_attempts_lands_in_the_groups_dead_letter_topic()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.DeclareConsumerGroup("GID_dlq", maxDeliveryAttempts: 2);
        var (producer, consumer) = await harness.PairAsync("poison", "GID_dlq");
        var receipt = await producer.SendAsync(EmulatorHarness.Text("poison", "poison", m => m.SetTag("bad").AddProperty("reason", "test")));

        Assert.Equal(2, consumer.Core.Server.MaxDeliveryAttempts);
        var attempts = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            attempts.Add(Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(consumer, 1, Short)).DeliveryAttempt);
        }

        // The third pop finds the attempts used up and moves the message instead of delivering it.
        Assert.Empty(await consumer.ReceiveAsync(32, Short));

        Assert.Equal([1, 2], attempts);
        Assert.Equal(1, Assert.Single(harness.Emulator.GetTopicStats(), t => t.Topic == "%DLQ%GID_dlq").Stored);
        var reader = await harness.ConsumerAsync("GID_dlq_reader", "%DLQ%GID_dlq");
        var dead = Assert.Single(await EmulatorHarness.ReceiveAtLeastAsync(reader, 1, Long));
        Assert.Equal((receipt.MessageId, "%DLQ%GID_dlq", "poison"), (dead.MessageId, dead.Topic, Encoding.UTF8.GetString(dead.Body)));
        Assert.Equal(("bad", "test"), (dead.Tag, dead.Properties["reason"]));
        await reader.AckAsync(dead);
    }
}
