using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// The in-memory broker behind the emulated proxy: topics with N queues, POP consumption per
/// consumer group (invisible time, redelivery, receipt handles, orderly queues), delayed messages
/// and dead-letter topics. Pure logic: no I/O, the clock is injected, one lock guards all state.
/// </summary>
internal sealed partial class EmulatedBroker
{
    public const string DeadLetterPrefix = "%DLQ%";

    /// <summary>Where the broker keeps delayed messages until due (apache/rocketmq TimerMessageStore.TIMER_TOPIC).</summary>
    public const string TimerTopic = SystemTopicPrefix + "wheel_timer";

    /// <summary>System topics' prefix (apache/rocketmq TopicValidator.SYSTEM_TOPIC_PREFIX); the broker labels them is_system.</summary>
    public const string SystemTopicPrefix = "rmq_sys_";

    private readonly object _gate = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Topic), GroupCursor> _cursors = new();
    private readonly HashSet<string> _fifoTopics;
    private readonly HashSet<string> _fifoGroups;
    private readonly Dictionary<string, int> _groupMaxAttempts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, MessageType Type), long> _messagesIn = new();
    private readonly int _queueCount;
    private readonly TimeProvider _clock;
    private long _handleSequence;
    private TaskCompletionSource _changed = NewSignal();

    public EmulatedBroker(int queueCount, TimeProvider clock, IEnumerable<string>? fifoTopics = null, IEnumerable<string>? fifoGroups = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        _queueCount = queueCount;
        _clock = clock;
        _fifoTopics = new HashSet<string>(fifoTopics ?? [], StringComparer.Ordinal);
        _fifoGroups = new HashSet<string>(fifoGroups ?? [], StringComparer.Ordinal);
    }

    public TimeProvider Clock => _clock;

    /// <summary>False: unknown topics are not created on use (broker autoCreateTopicEnable=false).</summary>
    public bool AutoCreateTopics { get; init; } = true;

    /// <summary>How long after its last pop a group's backlog is still exported (broker subscriptionExpiredTimeout).</summary>
    public TimeSpan SubscriptionExpiredTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public void DeclareTopic(string topic)
    {
        lock (_gate)
        {
            GetOrCreateTopic(topic);
        }
    }

    /// <summary>Completes on the next change that could make a message available (send, ack, nack, delay due is timed by callers).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void DeclareFifoTopic(string topic)
    {
        lock (_gate)
        {
            _fifoTopics.Add(topic);
            if (_topics.TryGetValue(topic, out var state))
            {
                state.IsFifo = true;
            }
        }
    }

    public void DeclareGroup(string group, bool orderly, int? maxAttempts)
    {
        lock (_gate)
        {
            if (orderly)
            {
                _fifoGroups.Add(group);
            }

            if (maxAttempts is { } attempts)
            {
                _groupMaxAttempts[group] = attempts;
            }
        }
    }

    public int? GroupMaxAttempts(string group)
    {
        lock (_gate)
        {
            return _groupMaxAttempts.TryGetValue(group, out var attempts) ? attempts : null;
        }
    }

    /// <summary>The group pops orderly when declared so, or when the topic is a FIFO topic.</summary>
    public bool IsOrderly(string group, string? topic)
    {
        lock (_gate)
        {
            return _fifoGroups.Contains(group) || (topic is not null && _fifoTopics.Contains(topic));
        }
    }

    /// <summary>Creates the topic on first use (unless topics must be declared) and returns the message types it accepts.</summary>
    public IReadOnlyList<MessageType> EnsureTopic(string topic)
    {
        lock (_gate)
        {
            return ExistingOrCreated(topic).AcceptedTypes;
        }
    }

    public bool TopicExists(string topic)
    {
        lock (_gate)
        {
            return _topics.ContainsKey(topic);
        }
    }

    public int QueueCount => _queueCount;

    /// <summary>Stores validated messages of one topic; returns (message id, queue offset) per message.</summary>
    public IReadOnlyList<(string MessageId, long Offset)> Send(string topic, IReadOnlyList<Message> messages)
    {
        var now = _clock.GetUtcNow();
        var results = new List<(string, long)>(messages.Count);
        lock (_gate)
        {
            var state = ExistingOrCreated(topic);
            foreach (var original in messages)
            {
                var type = MessageValidator.TypeOf(original.SystemProperties);
                if (!state.AcceptedTypes.Contains(type))
                {
                    throw new ProxyException(Code.MessagePropertyConflictWithType,
                        $"topic {topic} does not accept {type} messages");
                }
            }

            foreach (var original in messages)
            {
                var stored = Store(state, original.Clone(), now);
                CountIn(stored, MessageValidator.TypeOf(original.SystemProperties));
                results.Add((stored.MessageId, stored.Offset));
            }

            Signal();
        }

        return results;
    }

    /// <summary>Pops up to the batch size of visible messages for the group, or none.</summary>
    public IReadOnlyList<Message> Pop(PopRequest request)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!_topics.TryGetValue(request.Topic, out var topic))
            {
                throw new ProxyException(Code.TopicNotFound, $"topic {request.Topic} not found");
            }

            topic.PromoteDue(now);
            var cursor = GetCursor(request.Group, topic);
            cursor.LastPop = now;
            var delivered = new List<Message>();
            var start = cursor.NextQueueStart;
            cursor.NextQueueStart = (start + 1) % _queueCount;
            for (var i = 0; i < _queueCount && delivered.Count < request.BatchSize; i++)
            {
                var queueId = (start + i) % _queueCount;
                if (request.Orderly && cursor.IsBlocked(queueId, now))
                {
                    continue;
                }

                PopQueue(request, topic, cursor, queueId, now, delivered);
            }

            return delivered;
        }
    }

    /// <summary>Acknowledges one delivery by its receipt handle.</summary>
    public void Ack(string group, string topic, string receiptHandle)
    {
        lock (_gate)
        {
            var (cursor, handle, _) = ResolveHandle(group, topic, receiptHandle);
            cursor.InFlight[handle.QueueId].Remove(handle.Offset);
            cursor.Acked++;
            Signal();
        }
    }

    /// <summary>Makes the delivery invisible for <paramref name="duration"/> from now; returns the new handle (the old one stops working).</summary>
    public string ChangeInvisibleDuration(string group, string topic, string receiptHandle, TimeSpan duration)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            var (_, handle, entry) = ResolveHandle(group, topic, receiptHandle);
            entry.VisibleAt = now + duration;
            entry.RenewWhile = null;
            entry.HandleSequence = ++_handleSequence;
            Signal();
            return (handle with { Sequence = entry.HandleSequence }).Encode();
        }
    }

    /// <summary>Moves the delivered message to %DLQ%group and acknowledges it for the group.</summary>
    public void ForwardToDeadLetter(string group, string topic, string receiptHandle)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            var (cursor, handle, _) = ResolveHandle(group, topic, receiptHandle);
            var message = _topics[topic].Queues[handle.QueueId][(int)handle.Offset];
            cursor.InFlight[handle.QueueId].Remove(handle.Offset);
            MoveToDeadLetter(group, message, now);
            Signal();
        }
    }

    private void PopQueue(PopRequest request, TopicState topic, GroupCursor cursor, int queueId, DateTimeOffset now, List<Message> delivered)
    {
        var queue = topic.Queues[queueId];
        var inFlight = cursor.InFlight[queueId];

        // Redeliveries first: they precede every never-popped offset, which keeps FIFO order.
        foreach (var (offset, entry) in inFlight.Where(pair => !pair.Value.IsInvisibleAt(now)).ToList())
        {
            if (delivered.Count >= request.BatchSize)
            {
                return;
            }

            var message = queue[(int)offset];
            if (!request.Filter.Matches(message.Tag, message.UserProperties))
            {
                inFlight.Remove(offset);
                continue;
            }

            if (entry.Attempts >= request.MaxAttempts)
            {
                inFlight.Remove(offset);
                MoveToDeadLetter(request.Group, message, now);
                continue;
            }

            delivered.Add(Deliver(message, entry, request, now));
        }

        while (delivered.Count < request.BatchSize && cursor.NextOffsets[queueId] < queue.Count)
        {
            var message = queue[(int)cursor.NextOffsets[queueId]++];
            if (!request.Filter.Matches(message.Tag, message.UserProperties))
            {
                continue;
            }

            var entry = new InFlightEntry();
            inFlight[message.Offset] = entry;
            delivered.Add(Deliver(message, entry, request, now));
        }
    }

    private Message Deliver(StoredMessage stored, InFlightEntry entry, PopRequest request, DateTimeOffset now)
    {
        var invisible = request.InvisibleDuration;
        entry.RenewWhile = request.RenewWhile;
        entry.RenewPeriod = invisible;
        entry.Attempts++;
        entry.VisibleAt = now + invisible;
        entry.HandleSequence = ++_handleSequence;
        var message = stored.Message.Clone();
        var system = message.SystemProperties;
        system.ReceiptHandle = new ReceiptHandle(stored.Topic, stored.QueueId, stored.Offset, entry.HandleSequence).Encode();
        system.DeliveryAttempt = entry.Attempts;
        system.InvisibleDuration = Duration.FromTimeSpan(invisible);
        system.QueueId = stored.QueueId;
        system.QueueOffset = stored.Offset;
        return message;
    }

    private (GroupCursor Cursor, ReceiptHandle Handle, InFlightEntry Entry) ResolveHandle(string group, string topic, string receiptHandle)
    {
        var handle = ReceiptHandle.Decode(receiptHandle);
        var now = _clock.GetUtcNow();
        if (handle.Topic == topic
            && _cursors.TryGetValue((group, topic), out var cursor)
            && handle.QueueId >= 0 && handle.QueueId < _queueCount
            && cursor.InFlight[handle.QueueId].TryGetValue(handle.Offset, out var entry)
            && entry.HandleSequence == handle.Sequence
            && entry.IsInvisibleAt(now))
        {
            return (cursor, handle, entry);
        }

        throw new ProxyException(Code.InvalidReceiptHandle, "receipt handle is expired");
    }

    private void MoveToDeadLetter(string group, StoredMessage message, DateTimeOffset now)
    {
        var dlq = GetOrCreateTopic(DeadLetterPrefix + group);
        var copy = message.Message.Clone();
        copy.Topic = new Resource { ResourceNamespace = copy.Topic?.ResourceNamespace ?? string.Empty, Name = dlq.Name };
        var system = copy.SystemProperties;
        system.DeadLetterQueue = new DeadLetterQueue { Topic = message.Topic, MessageId = message.MessageId };
        system.ClearMessageGroup();
        system.DeliveryTimestamp = null;
        system.MessageType = MessageType.Normal;
        Store(dlq, copy, now);
    }

    /// <summary>
    /// A send counts under its topic, a delayed one under the timer topic it waits in (apache/rocketmq
    /// SendMessageProcessor.handlePutMessageResult reads the topic after HookUtils.transformTimerMessage);
    /// retry and dead-letter topics are not counted (BrokerMetricsManager.isRetryOrDlqTopic).
    /// </summary>
    private void CountIn(StoredMessage stored, MessageType type)
    {
        if (stored.Topic.StartsWith("%RETRY%", StringComparison.Ordinal) || stored.Topic.StartsWith(DeadLetterPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var key = (stored.DeliverAt is null ? stored.Topic : TimerTopic, type);
        _messagesIn[key] = _messagesIn.GetValueOrDefault(key) + 1;
    }

    private StoredMessage Store(TopicState topic, Message message, DateTimeOffset now)
    {
        var system = message.SystemProperties;
        message.Topic = new Resource { ResourceNamespace = message.Topic?.ResourceNamespace ?? string.Empty, Name = topic.Name };
        if (string.IsNullOrEmpty(system.MessageId))
        {
            system.MessageId = MessageIds.Next(now);
        }

        system.BornTimestamp ??= Timestamp.FromDateTimeOffset(now);
        system.StoreTimestamp = Timestamp.FromDateTimeOffset(now);
        system.StoreHost = "rocketmq-emulator";
        system.BodyDigest = new Digest { Type = DigestType.Md5, Checksum = Convert.ToHexString(MD5.HashData(message.Body.Span)) };
        if (system.BodyEncoding == RocketMq.Protocol.Encoding.Unspecified)
        {
            system.BodyEncoding = RocketMq.Protocol.Encoding.Identity;
        }

        var deliverAt = system.DeliveryTimestamp?.ToDateTimeOffset();
        var stored = new StoredMessage(message, topic.Name, now, deliverAt > now ? deliverAt : null);
        var queueId = topic.SelectQueue(system.HasMessageGroup ? system.MessageGroup : null);
        if (stored.DeliverAt is not null)
        {
            topic.AddDelayed(stored, queueId);
        }
        else
        {
            topic.Append(stored, queueId);
        }

        return stored;
    }

    /// <summary>
    /// The proxy answers a topic the name server has no route for with TOPIC_NOT_FOUND and the name
    /// server's words (apache/rocketmq proxy ResponseBuilder.buildStatus: TopicRouteHelper.isTopicNotExistError).
    /// </summary>
    private TopicState ExistingOrCreated(string name) =>
        AutoCreateTopics || _topics.ContainsKey(name)
            ? GetOrCreateTopic(name)
            : throw new ProxyException(Code.TopicNotFound, $"No topic route info in name server for the topic: {name}");

    private TopicState GetOrCreateTopic(string name)
    {
        if (!_topics.TryGetValue(name, out var topic))
        {
            topic = new TopicState(name, _fifoTopics.Contains(name), _queueCount);
            _topics[name] = topic;
        }

        return topic;
    }

    private GroupCursor GetCursor(string group, TopicState topic)
    {
        if (!_cursors.TryGetValue((group, topic.Name), out var cursor))
        {
            // A new group starts at the beginning of each queue: every retained message is its backlog.
            cursor = new GroupCursor(group, topic.Name, _queueCount);
            _cursors[(group, topic.Name)] = cursor;
        }

        return cursor;
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
