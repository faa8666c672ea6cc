using RocketMqSource.Emulator.Broker;
using RocketMqSource.Emulator.Filters;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Unit;

/// <summary>What the broker's metrics say: which groups still have backlog series, and the ingress counters.</summary>
public sealed class BrokerMetricsTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void A_group_is_reported_until_the_set_timeout_after_its_last_pop_and_again_after_its_next_pop()
    {
        var broker = new EmulatedBroker(2, _clock) { SubscriptionExpiredTimeout = TimeSpan.FromMinutes(2) };
        broker.Send("orders", [Wire.Message("orders")]);
        Assert.Empty(broker.SubscribedStats());

        broker.Pop(Pop("g"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        broker.Pop(Pop("h"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["g", "h"], broker.SubscribedStats().Select(s => s.Group));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["h"], broker.SubscribedStats().Select(s => s.Group));
        Assert.Equal(["g", "h"], broker.AllStats().Select(s => s.Group));

        broker.Pop(Pop("g"));
        Assert.Equal(["g", "h"], broker.SubscribedStats().Select(s => s.Group));
    }

    [Fact]
    public void Sends_count_by_topic_and_type_delayed_ones_under_the_timer_topic_until_due_and_dead_letters_not_at_all()
    {
        var broker = new EmulatedBroker(2, _clock);
        var due = _clock.GetUtcNow() + TimeSpan.FromMinutes(1);
        broker.Send("orders", [Wire.Message("orders"), Wire.Message("orders", group: "customer-1"), Wire.Message("orders", deliverAt: due)]);
        broker.Send("orders", [Wire.Message("orders", deliverAt: _clock.GetUtcNow())]);
        var popped = Assert.Single(broker.Pop(Pop("g") with { BatchSize = 1 }));
        broker.ForwardToDeadLetter("g", "orders", popped.SystemProperties.ReceiptHandle);

        var (messagesIn, timerDequeued) = broker.Ingress();
        Assert.Equal(
            [new IngressCount("orders", MessageType.Normal, 1), new IngressCount("orders", MessageType.Fifo, 1), new IngressCount("orders", MessageType.Delay, 1), new IngressCount("rmq_sys_wheel_timer", MessageType.Delay, 1)],
            messagesIn);
        Assert.Empty(timerDequeued);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([new DueCount("orders", 1)], broker.Ingress().TimerDequeued);
        var text = MetricsEndpoint.Render([], broker.Ingress().MessagesIn, broker.Ingress().TimerDequeued);
        Assert.Contains("rocketmq_messages_in_total{topic=\"rmq_sys_wheel_timer\",message_type=\"delay\",is_system=\"true\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rocketmq_timer_dequeue_total{topic=\"orders\"} 1\n", text, StringComparison.Ordinal);
    }

    private static PopRequest Pop(string group) => new(group, "orders", TagFilter.All, 32, TimeSpan.FromSeconds(30), 17, false);
}
