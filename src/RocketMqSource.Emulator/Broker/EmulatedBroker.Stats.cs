using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>Messages that entered a topic so far, by how they were sent (the broker's rocketmq_messages_in_total series).</summary>
internal sealed record IngressCount(string Topic, MessageType Type, long Count);

/// <summary>Delayed messages of a topic that came due so far (the broker's rocketmq_timer_dequeue_total series).</summary>
internal sealed record DueCount(string Topic, long Count);

/// <summary>Read-only views of the broker: counts for tests, metrics and /stats, and wake-up times for long polling.</summary>
internal sealed partial class EmulatedBroker
{
    /// <summary>Earliest future moment a pop of this group could find something new without a send.</summary>
    public DateTimeOffset? NextWakeUp(string group, string topic)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var state))
            {
                return null;
            }

            DateTimeOffset? wake = state.Delayed.Count > 0 ? state.Delayed.First().Key.Due : null;
            if (_cursors.TryGetValue((group, topic), out var cursor) && cursor.EarliestVisibility(now) is { } visible
                && (wake is null || visible < wake))
            {
                wake = visible;
            }

            return wake;
        }
    }

    public ConsumerGroupStats Stats(string group, string topic)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var state))
            {
                return new ConsumerGroupStats(group, topic, 0, 0, 0, 0);
            }

            state.PromoteDue(now);
            if (!_cursors.TryGetValue((group, topic), out var cursor))
            {
                return new ConsumerGroupStats(group, topic, state.StoredCount, 0, 0, state.Delayed.Count);
            }

            var unpopped = state.Queues.Select((queue, id) => queue.Count - cursor.NextOffsets[id]).Sum();
            return new ConsumerGroupStats(group, topic, unpopped + cursor.CountRedeliverable(now),
                cursor.CountInvisible(now), cursor.Acked, state.Delayed.Count);
        }
    }

    public IReadOnlyList<ConsumerGroupStats> AllStats()
    {
        List<(string Group, string Topic)> keys;
        lock (_gate)
        {
            keys = [.. _cursors.Keys.OrderBy(key => key.Group, StringComparer.Ordinal).ThenBy(key => key.Topic, StringComparer.Ordinal)];
        }

        return keys.Select(key => Stats(key.Group, key.Topic)).ToList();
    }

    /// <summary>
    /// The groups the broker still reports backlog for: those that popped within
    /// <see cref="SubscriptionExpiredTimeout"/> (apache/rocketmq ConsumerLagCalculator.processAllGroup
    /// walks the subscribed groups only; ConsumerManager.removeExpireConsumerGroupInfo drops a
    /// POP group's subscription once its last POP is older than subscriptionExpiredTimeout).
    /// </summary>
    public IReadOnlyList<ConsumerGroupStats> SubscribedStats()
    {
        var now = _clock.GetUtcNow();
        List<(string Group, string Topic)> keys;
        lock (_gate)
        {
            keys = [.. _cursors.Values.Where(c => now - c.LastPop <= SubscriptionExpiredTimeout).Select(c => (c.Group, c.Topic))
                .OrderBy(key => key.Group, StringComparer.Ordinal).ThenBy(key => key.Topic, StringComparer.Ordinal)];
        }

        return keys.Select(key => Stats(key.Group, key.Topic)).ToList();
    }

    /// <summary>The ingress counters, every delayed message due by now counted as come due.</summary>
    public (IReadOnlyList<IngressCount> MessagesIn, IReadOnlyList<DueCount> TimerDequeued) Ingress()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var topic in _topics.Values)
            {
                topic.PromoteDue(now);
            }

            return (
                _messagesIn.Select(p => new IngressCount(p.Key.Topic, p.Key.Type, p.Value))
                    .OrderBy(c => c.Topic, StringComparer.Ordinal).ThenBy(c => c.Type).ToList(),
                _topics.Values.Where(t => t.DueCount > 0).Select(t => new DueCount(t.Name, t.DueCount))
                    .OrderBy(c => c.Topic, StringComparer.Ordinal).ToList());
        }
    }

    public IReadOnlyList<TopicStats> TopicStats()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return _topics.Values
                .OrderBy(topic => topic.Name, StringComparer.Ordinal)
                .Select(topic =>
                {
                    topic.PromoteDue(now);
                    return new TopicStats(topic.Name, topic.IsFifo, topic.StoredCount, topic.Delayed.Count);
                })
                .ToList();
        }
    }
}
