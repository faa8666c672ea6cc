using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>A message as the broker keeps it: the producer's message plus where and when it was stored.</summary>
internal sealed class StoredMessage(Message message, string topic, DateTimeOffset storedAt, DateTimeOffset? deliverAt)
{
    /// <summary>The message as sent (system properties completed at store time); never handed out directly.</summary>
    public Message Message { get; } = message;

    public string Topic { get; } = topic;

    public string MessageId => Message.SystemProperties.MessageId;

    public string? Tag => Message.SystemProperties.HasTag ? Message.SystemProperties.Tag : null;

    public IReadOnlyDictionary<string, string> UserProperties => Message.UserProperties;

    public DateTimeOffset StoredAt { get; } = storedAt;

    /// <summary>Delayed delivery time; null when the message is visible as soon as it is stored.</summary>
    public DateTimeOffset? DeliverAt { get; } = deliverAt;

    public int QueueId { get; set; }

    public long Offset { get; set; }
}

/// <summary>One topic: its type, its queues and the delayed messages not yet due.</summary>
internal sealed class TopicState(string name, bool fifo, int queueCount)
{
    private long _roundRobin;
    private long _delaySequence;

    public string Name { get; } = name;

    public bool IsFifo { get; set; } = fifo;

    public List<StoredMessage>[] Queues { get; } = Enumerable.Range(0, queueCount).Select(_ => new List<StoredMessage>()).ToArray();

    /// <summary>Delayed messages ordered by due time, then arrival.</summary>
    public SortedDictionary<(DateTimeOffset Due, long Sequence), (StoredMessage Message, int QueueId)> Delayed { get; } = new();

    /// <summary>Message types a producer may send here; clients check this list in the route.</summary>
    public IReadOnlyList<MessageType> AcceptedTypes => IsFifo
        ? [MessageType.Fifo]
        : [MessageType.Normal, MessageType.Fifo, MessageType.Delay];

    public long StoredCount => Queues.Sum(queue => (long)queue.Count);

    /// <summary>Delayed messages that came due so far (the broker's rocketmq_timer_dequeue_total for this topic).</summary>
    public long DueCount { get; private set; }

    /// <summary>Queue for a send: the message group's hash (so a group stays in order), else round robin.</summary>
    public int SelectQueue(string? messageGroup)
    {
        if (!string.IsNullOrEmpty(messageGroup))
        {
            return (int)(Math.Abs((long)JavaStringHash(messageGroup)) % Queues.Length);
        }

        return (int)(_roundRobin++ % Queues.Length);
    }

    public void AddDelayed(StoredMessage message, int queueId) =>
        Delayed.Add((message.DeliverAt!.Value, _delaySequence++), (message, queueId));

    /// <summary>Appends every delayed message that is due by <paramref name="now"/> to its queue.</summary>
    public bool PromoteDue(DateTimeOffset now)
    {
        var promoted = false;
        while (Delayed.Count > 0)
        {
            var first = Delayed.First();
            if (first.Key.Due > now)
            {
                break;
            }

            Delayed.Remove(first.Key);
            Append(first.Value.Message, first.Value.QueueId);
            DueCount++;
            promoted = true;
        }

        return promoted;
    }

    public void Append(StoredMessage message, int queueId)
    {
        var queue = Queues[queueId];
        message.QueueId = queueId;
        message.Offset = queue.Count;
        queue.Add(message);
    }

    // The proxy hashes message groups with Java's String.hashCode.
    private static int JavaStringHash(string value)
    {
        var hash = 0;
        foreach (var c in value)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }
}
