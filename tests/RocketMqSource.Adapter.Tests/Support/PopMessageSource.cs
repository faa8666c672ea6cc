using System.Text;
using RocketMqSource.Adapter.Consuming;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// An in-memory topic with RocketMQ 5 POP semantics: a received message is invisible for the
/// requested duration and delivered again when that lapses un-acked; a receipt handle is valid
/// only while the message is invisible under it; message groups are served FIFO (a group's next
/// message is not delivered while an earlier one is held).
/// </summary>
internal sealed class PopMessageSource(TimeSpan? longPoll = null) : IMessageSource
{
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private readonly TimeSpan longPoll = longPoll ?? TimeSpan.FromMilliseconds(200);
    private long handles;

    public int StartFailures { get; set; }

    public int ReceiveFailures { get; set; }

    /// <summary>Acks of these message ids are refused once (as for a receipt handle that expired).</summary>
    public HashSet<string> RefuseAckOnce { get; } = [];

    public bool Started { get; private set; }

    public bool Disposed { get; private set; }

    public int MaxHeld { get; private set; }

    public List<(string MessageId, TimeSpan Duration)> InvisibilityChanges { get; } = [];

    public int RefusedAcks { get; private set; }

    public int AckRequests { get; private set; }

    public int LargestAckRequest { get; private set; }

    public void Publish(string id, string? group = null, string? body = null)
    {
        lock (gate)
        {
            entries.Add(new Entry(id, group, Encoding.UTF8.GetBytes(body ?? $"{{\"id\":\"{id}\"}}")));
        }
    }

    public bool IsAcked(string id)
    {
        lock (gate)
        {
            return entries.Single(e => e.Id == id).Acked;
        }
    }

    public int AckedCount
    {
        get
        {
            lock (gate)
            {
                return entries.Count(e => e.Acked);
            }
        }
    }

    public int Deliveries(string id)
    {
        lock (gate)
        {
            return entries.Single(e => e.Id == id).Attempts;
        }
    }

    public List<(string MessageId, TimeSpan Duration)> Changes()
    {
        lock (gate)
        {
            return [.. InvisibilityChanges];
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (StartFailures > 0)
        {
            StartFailures--;
            throw new InvalidOperationException("proxy unavailable");
        }

        Started = true;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ReceiveFailures > 0)
            {
                ReceiveFailures--;
                throw new IOException("proxy connection reset");
            }
        }

        var until = DateTimeOffset.UtcNow + longPoll;
        while (true)
        {
            var batch = TryPop(maxMessages, invisibleDuration);
            if (batch.Count > 0 || DateTimeOffset.UtcNow >= until)
            {
                return batch;
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    public Task<IReadOnlyList<ReceivedMessage>> AckAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var refused = new List<ReceivedMessage>();
        lock (gate)
        {
            AckRequests++;
            LargestAckRequest = Math.Max(LargestAckRequest, messages.Count);
            foreach (var message in messages)
            {
                var entry = entries.Single(e => e.Id == message.MessageId);
                if (RefuseAckOnce.Remove(message.MessageId))
                {
                    RefusedAcks++;
                    refused.Add(message);
                }
                else if (entry.Handle == message.ReceiptHandle && !entry.Acked && entry.VisibleAt > DateTimeOffset.UtcNow)
                {
                    entry.Acked = true;
                }
                else
                {
                    RefusedAcks++;
                    refused.Add(message);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<ReceivedMessage>>(refused);
    }

    public Task<string> ChangeInvisibleDurationAsync(ReceivedMessage message, TimeSpan invisibleDuration, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var entry = entries.Single(e => e.Id == message.MessageId);
            if (entry.Handle != message.ReceiptHandle || entry.Acked || entry.VisibleAt <= DateTimeOffset.UtcNow)
            {
                throw new InvalidOperationException($"invalid receipt handle for {message.MessageId}");
            }

            entry.Handle = NewHandle(entry.Id);
            entry.VisibleAt = DateTimeOffset.UtcNow + invisibleDuration;
            InvisibilityChanges.Add((entry.Id, invisibleDuration));
            return Task.FromResult(entry.Handle);
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private List<ReceivedMessage> TryPop(int maxMessages, TimeSpan invisibleDuration)
    {
        var now = DateTimeOffset.UtcNow;
        var batch = new List<ReceivedMessage>();
        var blockedGroups = new HashSet<string>();
        lock (gate)
        {
            foreach (var entry in entries.Where(e => !e.Acked))
            {
                if (entry.Group is { } group && blockedGroups.Contains(group))
                {
                    continue;
                }

                if (entry.VisibleAt <= now && batch.Count < maxMessages)
                {
                    entry.Attempts++;
                    entry.Handle = NewHandle(entry.Id);
                    entry.VisibleAt = now + invisibleDuration;
                    batch.Add(new ReceivedMessage(entry.Id, entry.Group, entry.Handle, entry.Attempts, entry.Body));
                }
                else if (entry.Group is { } heldGroup)
                {
                    // An earlier message of this group is held or left behind: the rest of the group waits.
                    blockedGroups.Add(heldGroup);
                }
            }

            MaxHeld = Math.Max(MaxHeld, entries.Count(e => !e.Acked && e.VisibleAt > now));
        }

        return batch;
    }

    private string NewHandle(string id) => $"{id}@{Interlocked.Increment(ref handles)}";

    private sealed class Entry(string id, string? group, byte[] body)
    {
        public string Id { get; } = id;

        public string? Group { get; } = group;

        public byte[] Body { get; } = body;

        public bool Acked { get; set; }

        public DateTimeOffset VisibleAt { get; set; } = DateTimeOffset.MinValue;

        public string? Handle { get; set; }

        public int Attempts { get; set; }
    }
}
