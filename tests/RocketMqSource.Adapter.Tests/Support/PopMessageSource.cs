using System.Text;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// An in-memory topic with RocketMQ 5 POP semantics on the given clock: a received message is
/// invisible for the requested duration and delivered again when that lapses un-acked; only the
/// newest delivery of a message can be acked or have its invisibility changed, and only while it
/// is invisible; message groups are served FIFO (a group's next message is not delivered while an
/// earlier one is held). A receive long-polls until a message is published or becomes visible.
/// With <see cref="MaxDeliveryAttempts"/>, a message that was delivered that many times moves to the
/// group's %DLQ% instead of being delivered again, as the proxy does.
/// </summary>
internal sealed class PopMessageSource(TimeProvider? clock = null, TimeSpan? longPoll = null) : IMessageSource
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly TimeSpan longPoll = longPoll ?? TimeSpan.FromMilliseconds(200);
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private readonly List<(string MessageId, TimeSpan Duration)> changes = [];
    private readonly List<int> receiveRequests = [];
    private TaskCompletionSource published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int StartFailures { get; set; }

    /// <summary>The consumer group's max delivery attempts (RocketMQ's subscription retry policy); unlimited when null.</summary>
    public int? MaxDeliveryAttempts { get; init; }

    public int ReceiveFailures { get; set; }

    /// <summary>Acks of these message ids are refused once (as for a receipt handle that expired).</summary>
    public HashSet<string> RefuseAckOnce { get; } = [];

    public bool Started { get; private set; }

    public bool Disposed { get; private set; }

    public int MaxHeld { get; private set; }

    public int RefusedAcks { get; private set; }

    public int AckRequests { get; private set; }

    public int LargestAckRequest { get; private set; }

    public void Publish(string id, string? group = null, string? body = null, IReadOnlyDictionary<string, string>? properties = null) =>
        Publish(new Published(id, Encoding.UTF8.GetBytes(body ?? $"{{\"id\":\"{id}\"}}"), properties ?? new Dictionary<string, string>()) { Group = group });

    /// <summary>Publishes a message as a producer sent it; it becomes visible after its delay.</summary>
    public void Publish(Published message)
    {
        lock (gate)
        {
            entries.Add(new Entry(message) { VisibleAt = message.Delay is { } delay ? clock.GetUtcNow() + delay : DateTimeOffset.MinValue });
            published.TrySetResult();
            published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public bool IsAcked(string id) => Read(() => entries.Single(e => e.Id == id).Acked);

    /// <summary>Moved to the group's %DLQ% after <see cref="MaxDeliveryAttempts"/>.</summary>
    public bool IsInDeadLetterQueue(string id) => Read(() => entries.Single(e => e.Id == id).InDeadLetterQueue);

    public int AckedCount => Read(() => entries.Count(e => e.Acked));

    public int Deliveries(string id) => Read(() => entries.Single(e => e.Id == id).Attempts);

    /// <summary>The max-messages of every receive call so far, in order.</summary>
    public List<int> ReceiveRequests() => Read(() => receiveRequests.ToList());

    public List<(string MessageId, TimeSpan Duration)> Changes() => Read(() => changes.ToList());

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (StartFailures > 0)
            {
                StartFailures--;
                throw new InvalidOperationException("proxy unavailable");
            }

            Started = true;
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + longPoll;
        lock (gate)
        {
            receiveRequests.Add(maxMessages);
            if (ReceiveFailures > 0)
            {
                ReceiveFailures--;
                throw new IOException("proxy connection reset");
            }
        }

        while (true)
        {
            var (batch, nextVisible, signal) = TryPop(maxMessages, invisibleDuration);
            var now = clock.GetUtcNow();
            if (batch.Count > 0 || now >= until)
            {
                return batch;
            }

            var wake = nextVisible is { } visible && visible < until ? visible : until;
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(signal, Task.Delay(wake - now, clock, waiting.Token));
            await waiting.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<IReadOnlyList<MessageView>> AckAsync(IReadOnlyList<MessageView> messages, CancellationToken cancellationToken)
    {
        var refused = new List<MessageView>();
        lock (gate)
        {
            AckRequests++;
            LargestAckRequest = Math.Max(LargestAckRequest, messages.Count);
            foreach (var message in messages)
            {
                var entry = entries.Single(e => e.Id == message.MessageId);
                if (RefuseAckOnce.Remove(message.MessageId) || !IsCurrent(entry, message))
                {
                    RefusedAcks++;
                    refused.Add(message);
                }
                else
                {
                    entry.Acked = true;
                }
            }
        }

        return Task.FromResult<IReadOnlyList<MessageView>>(refused);
    }

    public Task ChangeInvisibleDurationAsync(MessageView message, TimeSpan invisibleDuration, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var entry = entries.Single(e => e.Id == message.MessageId);
            if (!IsCurrent(entry, message))
            {
                throw new InvalidOperationException($"invalid receipt handle for {message.MessageId}");
            }

            entry.VisibleAt = clock.GetUtcNow() + invisibleDuration;
            changes.Add((entry.Id, invisibleDuration));
            published.TrySetResult();
            published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>The newest delivery of a message, not acked and still invisible: its receipt handle is valid.</summary>
    private bool IsCurrent(Entry entry, MessageView message) =>
        ReferenceEquals(entry.Delivered, message) && !entry.Acked && entry.VisibleAt > clock.GetUtcNow();

    private (List<MessageView> Batch, DateTimeOffset? NextVisible, Task Published) TryPop(int maxMessages, TimeSpan invisibleDuration)
    {
        var now = clock.GetUtcNow();
        var batch = new List<MessageView>();
        var blockedGroups = new HashSet<string>();
        DateTimeOffset? nextVisible = null;
        lock (gate)
        {
            foreach (var entry in entries.Where(e => !e.Acked && !e.InDeadLetterQueue))
            {
                if (entry.VisibleAt <= now && entry.Attempts >= MaxDeliveryAttempts)
                {
                    entry.InDeadLetterQueue = true;
                    continue;
                }

                if (entry.Group is { } group && blockedGroups.Contains(group))
                {
                    continue;
                }

                if (entry.VisibleAt <= now && batch.Count < maxMessages)
                {
                    entry.Attempts++;
                    entry.VisibleAt = now + invisibleDuration;
                    var sent = entry.Message;
                    entry.Delivered = MessageViews.Create(entry.Id, sent.Body, sent.Topic, sent.Tag, sent.Keys, sent.Properties, sent.Group,
                        entry.Attempts, $"{entry.Id}@{entry.Attempts}", sent.BornTime ?? now, sent.TraceContext);
                    batch.Add(entry.Delivered);
                }
                else
                {
                    if (entry.VisibleAt > now && (nextVisible is null || entry.VisibleAt < nextVisible))
                    {
                        nextVisible = entry.VisibleAt;
                    }

                    if (entry.Group is { } heldGroup)
                    {
                        // An earlier message of this group is held or left behind: the rest of the group waits.
                        blockedGroups.Add(heldGroup);
                    }
                }
            }

            MaxHeld = Math.Max(MaxHeld, entries.Count(e => !e.Acked && e.VisibleAt > now));
            return (batch, nextVisible, published.Task);
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private sealed class Entry(Published message)
    {
        public Published Message { get; } = message;

        public string Id => Message.Id;

        public string? Group => Message.Group;

        public bool Acked { get; set; }

        public bool InDeadLetterQueue { get; set; }

        public DateTimeOffset VisibleAt { get; set; } = DateTimeOffset.MinValue;

        public MessageView? Delivered { get; set; }

        public int Attempts { get; set; }
    }
}

/// <summary>A message as a producer sent it (what RocketMQ stores and delivers).</summary>
internal sealed record Published(string Id, byte[] Body, IReadOnlyDictionary<string, string> Properties)
{
    public string Topic { get; init; } = "orders";

    public string? Tag { get; init; }

    public IReadOnlyList<string> Keys { get; init; } = [];

    public string? Group { get; init; }

    /// <summary>Delivery delay (a delay message): invisible until then.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>RocketMQ's trace_context system property.</summary>
    public string? TraceContext { get; init; }

    public DateTimeOffset? BornTime { get; init; }
}
