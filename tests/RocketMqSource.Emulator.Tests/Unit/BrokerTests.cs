using RocketMqSource.Emulator.Broker;
using RocketMqSource.Emulator.Filters;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Unit;

public class BrokerTests
{
    private static readonly TimeSpan Invisible = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();
    private readonly EmulatedBroker _broker;

    public BrokerTests() => _broker = new EmulatedBroker(4, _clock, fifoTopics: ["fifo"]);

    private PopRequest Pop(string topic = "orders", int batch = 32, IMessageFilter? filter = null, int maxAttempts = 17, string group = "g") =>
        new(group, topic, filter ?? TagFilter.All, batch, Invisible, maxAttempts, _broker.IsOrderly(group, topic));

    private void Send(string topic, params Message[] messages) => _broker.Send(topic, messages);

    [Fact]
    public void Popped_messages_are_invisible_until_their_time_lapses_then_come_back_with_the_next_attempt()
    {
        Send("orders", Wire.Message("orders", "a"));

        var first = Assert.Single(_broker.Pop(Pop()));
        Assert.Equal(1, first.SystemProperties.DeliveryAttempt);
        Assert.Empty(_broker.Pop(Pop()));
        Assert.Equal(new ConsumerGroupStats("g", "orders", 0, 1, 0, 0), _broker.Stats("g", "orders"));

        _clock.Advance(Invisible);
        var second = Assert.Single(_broker.Pop(Pop()));

        Assert.Equal(first.SystemProperties.MessageId, second.SystemProperties.MessageId);
        Assert.Equal(2, second.SystemProperties.DeliveryAttempt);
        Assert.NotEqual(first.SystemProperties.ReceiptHandle, second.SystemProperties.ReceiptHandle);
    }

    [Fact]
    public void Delivered_messages_carry_digest_topic_born_time_and_the_producer_s_id()
    {
        var sent = Wire.Message("orders", "payload", tag: "paid", properties: new Dictionary<string, string> { ["k"] = "v" });
        Send("orders", sent);

        var message = Assert.Single(_broker.Pop(Pop()));

        Assert.Equal(sent.SystemProperties.MessageId, message.SystemProperties.MessageId);
        Assert.Equal("orders", message.Topic.Name);
        Assert.Equal(DigestType.Md5, message.SystemProperties.BodyDigest.Type);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.MD5.HashData("payload"u8.ToArray())), message.SystemProperties.BodyDigest.Checksum);
        Assert.NotNull(message.SystemProperties.BornTimestamp);
        Assert.Equal("v", message.UserProperties["k"]);
        Assert.Equal("paid", message.SystemProperties.Tag);
        Assert.Equal(Invisible, message.SystemProperties.InvisibleDuration.ToTimeSpan());
    }

    [Fact]
    public void Ack_removes_the_message_and_a_second_ack_or_an_expired_handle_is_refused()
    {
        Send("orders", Wire.Message("orders", "a"), Wire.Message("orders", "b"));
        var popped = _broker.Pop(Pop());
        Assert.Equal(2, popped.Count);

        _broker.Ack("g", "orders", popped[0].SystemProperties.ReceiptHandle);
        var again = Assert.Throws<ProxyException>(() => _broker.Ack("g", "orders", popped[0].SystemProperties.ReceiptHandle));
        Assert.Equal(Code.InvalidReceiptHandle, again.Code);

        _clock.Advance(Invisible);
        var expired = Assert.Throws<ProxyException>(() => _broker.Ack("g", "orders", popped[1].SystemProperties.ReceiptHandle));
        Assert.Equal(Code.InvalidReceiptHandle, expired.Code);
        Assert.Equal("receipt handle is expired", expired.Message);
        Assert.Equal(new ConsumerGroupStats("g", "orders", 1, 0, 1, 0), _broker.Stats("g", "orders"));
    }

    [Fact]
    public void Malformed_handles_are_internal_server_errors()
    {
        Send("orders", Wire.Message("orders"));
        var error = Assert.Throws<ProxyException>(() => _broker.Ack("g", "orders", "not-a-handle"));
        Assert.Equal(Code.InternalServerError, error.Code);
    }

    [Fact]
    public void Change_invisible_duration_returns_a_new_handle_and_the_old_one_stops_working()
    {
        Send("orders", Wire.Message("orders"));
        var handle = Assert.Single(_broker.Pop(Pop())).SystemProperties.ReceiptHandle;

        var renewed = _broker.ChangeInvisibleDuration("g", "orders", handle, TimeSpan.FromMinutes(5));

        Assert.NotEqual(handle, renewed);
        _clock.Advance(Invisible + TimeSpan.FromSeconds(1));
        Assert.Empty(_broker.Pop(Pop()));
        Assert.Equal(Code.InvalidReceiptHandle, Assert.Throws<ProxyException>(() => _broker.Ack("g", "orders", handle)).Code);
        _broker.Ack("g", "orders", renewed);
        Assert.Equal(1, _broker.Stats("g", "orders").Acked);
    }

    [Fact]
    public void Change_invisible_duration_to_zero_makes_the_message_visible_at_once()
    {
        Send("orders", Wire.Message("orders"));
        var handle = Assert.Single(_broker.Pop(Pop())).SystemProperties.ReceiptHandle;

        _broker.ChangeInvisibleDuration("g", "orders", handle, TimeSpan.Zero);

        Assert.Equal(2, Assert.Single(_broker.Pop(Pop())).SystemProperties.DeliveryAttempt);
    }

    [Fact]
    public void Batch_size_limits_a_pop_and_groups_consume_independently()
    {
        Send("orders", Enumerable.Range(0, 10).Select(i => Wire.Message("orders", $"m{i}")).ToArray());

        Assert.Equal(4, _broker.Pop(Pop(batch: 4)).Count);
        Assert.Equal(6, _broker.Pop(Pop(batch: 32)).Count);
        Assert.Equal(10, _broker.Pop(Pop(group: "other")).Count);
    }

    [Fact]
    public void Tag_mismatches_are_skipped_for_good()
    {
        Send("orders", Wire.Message("orders", "a", tag: "created"), Wire.Message("orders", "b", tag: "paid"), Wire.Message("orders", "c"));

        var popped = _broker.Pop(Pop(filter: TagFilter.Parse("paid")));

        Assert.Equal("b", Assert.Single(popped).Body.ToStringUtf8());
        Assert.Empty(_broker.Pop(Pop(filter: TagFilter.All)));
    }

    [Fact]
    public void Message_reaching_max_attempts_goes_to_the_group_s_dead_letter_topic()
    {
        var sent = Wire.Message("orders", "poison");
        Send("orders", sent);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(attempt, Assert.Single(_broker.Pop(Pop(maxAttempts: 3))).SystemProperties.DeliveryAttempt);
            _clock.Advance(Invisible);
        }

        Assert.Empty(_broker.Pop(Pop(maxAttempts: 3)));
        var dead = Assert.Single(_broker.Pop(Pop(topic: "%DLQ%g", group: "dlq-reader")));
        Assert.Equal(sent.SystemProperties.MessageId, dead.SystemProperties.MessageId);
        Assert.Equal("orders", dead.SystemProperties.DeadLetterQueue.Topic);
        Assert.Equal(sent.SystemProperties.MessageId, dead.SystemProperties.DeadLetterQueue.MessageId);
        Assert.Equal("%DLQ%g", dead.Topic.Name);
    }

    [Fact]
    public void Forward_to_dead_letter_moves_the_delivery_at_once()
    {
        Send("orders", Wire.Message("orders", "bad"));
        var handle = Assert.Single(_broker.Pop(Pop())).SystemProperties.ReceiptHandle;

        _broker.ForwardToDeadLetter("g", "orders", handle);

        _clock.Advance(Invisible);
        Assert.Empty(_broker.Pop(Pop()));
        Assert.Single(_broker.Pop(Pop(topic: "%DLQ%g", group: "dlq-reader")));
    }

    [Fact]
    public void Delayed_messages_stay_hidden_until_their_delivery_time()
    {
        var due = _clock.GetUtcNow().AddSeconds(10);
        Send("orders", Wire.Message("orders", "later", deliverAt: due));

        Assert.Empty(_broker.Pop(Pop()));
        Assert.Equal(1, _broker.Stats("g", "orders").Delayed);
        Assert.Equal(due, _broker.NextWakeUp("g", "orders"));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("later", Assert.Single(_broker.Pop(Pop())).Body.ToStringUtf8());
    }

    [Fact]
    public void Fifo_queue_is_blocked_while_its_batch_is_invisible_and_redelivers_in_order()
    {
        Send("fifo", Enumerable.Range(1, 3).Select(i => Wire.Message("fifo", $"step-{i}", group: "customer")).ToArray());
        Send("fifo", Wire.Message("fifo", "other", group: "someone-else-entirely"));

        var first = _broker.Pop(Pop(topic: "fifo"));
        var steps = first.Where(m => m.SystemProperties.MessageGroup == "customer").Select(m => m.Body.ToStringUtf8()).ToList();
        Assert.Equal(["step-1", "step-2", "step-3"], steps);

        Send("fifo", Wire.Message("fifo", "step-4", group: "customer"));
        Assert.DoesNotContain(_broker.Pop(Pop(topic: "fifo")), m => m.SystemProperties.MessageGroup == "customer");

        // Ack only the first: the rest of the batch still holds the queue.
        _broker.Ack("g", "fifo", first.First(m => m.Body.ToStringUtf8() == "step-1").SystemProperties.ReceiptHandle);
        Assert.DoesNotContain(_broker.Pop(Pop(topic: "fifo")), m => m.SystemProperties.MessageGroup == "customer");

        _clock.Advance(Invisible);
        var redelivered = _broker.Pop(Pop(topic: "fifo")).Where(m => m.SystemProperties.MessageGroup == "customer").ToList();
        Assert.Equal(["step-2", "step-3", "step-4"], redelivered.Select(m => m.Body.ToStringUtf8()));
        Assert.Equal([2, 2, 1], redelivered.Select(m => m.SystemProperties.DeliveryAttempt));
    }

    [Fact]
    public void Same_message_group_always_lands_in_the_same_queue()
    {
        Send("fifo", Enumerable.Range(0, 20).Select(i => Wire.Message("fifo", $"{i}", group: "g-1")).ToArray());

        var queues = _broker.Pop(Pop(topic: "fifo", group: "reader")).Select(m => m.SystemProperties.QueueId).Distinct();

        Assert.Single(queues);
    }

    [Fact]
    public void Fifo_topics_accept_fifo_messages_only()
    {
        var error = Assert.Throws<ProxyException>(() => Send("fifo", Wire.Message("fifo", "plain")));

        Assert.Equal(Code.MessagePropertyConflictWithType, error.Code);
        Assert.Equal([MessageType.Fifo], _broker.EnsureTopic("fifo"));
        Assert.Equal([MessageType.Normal, MessageType.Fifo, MessageType.Delay], _broker.EnsureTopic("auto-created"));
    }

    [Fact]
    public void Pop_on_an_unknown_topic_is_topic_not_found()
    {
        Assert.Equal(Code.TopicNotFound, Assert.Throws<ProxyException>(() => _broker.Pop(Pop(topic: "never-seen"))).Code);
    }

    [Fact]
    public void A_send_wakes_waiters()
    {
        var changed = _broker.Changed;
        Assert.False(changed.IsCompleted);

        Send("orders", Wire.Message("orders"));

        Assert.True(changed.IsCompleted);
    }

    [Fact]
    public void Auto_renew_deliveries_stay_invisible_while_the_client_lives_and_return_after_it_is_gone()
    {
        var alive = true;
        Send("orders", Wire.Message("orders", "pushed"));
        var renewing = Pop() with { RenewWhile = () => alive };
        var handle = Assert.Single(_broker.Pop(renewing)).SystemProperties.ReceiptHandle;

        _clock.Advance(Invisible * 3);
        Assert.Empty(_broker.Pop(Pop()));
        Assert.Equal(1, _broker.Stats("g", "orders").InFlight);

        alive = false;
        _clock.Advance(Invisible);
        Assert.Equal(2, Assert.Single(_broker.Pop(Pop())).SystemProperties.DeliveryAttempt);
        Assert.Equal(Code.InvalidReceiptHandle, Assert.Throws<ProxyException>(() => _broker.Ack("g", "orders", handle)).Code);
    }

    [Fact]
    public void Auto_renew_handles_keep_acking_past_the_first_invisible_time()
    {
        Send("orders", Wire.Message("orders", "pushed"));
        var handle = Assert.Single(_broker.Pop(Pop() with { RenewWhile = () => true })).SystemProperties.ReceiptHandle;

        _clock.Advance(Invisible * 2);
        _broker.Ack("g", "orders", handle);

        Assert.Equal(1, _broker.Stats("g", "orders").Acked);
    }
}
