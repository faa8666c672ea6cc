namespace RocketMqSource.Emulator.Broker;

/// <summary>A popped, not yet acknowledged message of one consumer group.</summary>
internal sealed class InFlightEntry
{
    /// <summary>Deliveries so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When the message becomes visible again unless acked.</summary>
    public DateTimeOffset VisibleAt { get; set; }

    /// <summary>Sequence of the only receipt handle that is currently valid for this message.</summary>
    public long HandleSequence { get; set; }

    /// <summary>For auto-renew deliveries (push consumers): true while the receiving client is alive.</summary>
    public Func<bool>? RenewWhile { get; set; }

    public TimeSpan RenewPeriod { get; set; }

    /// <summary>
    /// Whether the message is still hidden at <paramref name="now"/>. The proxy keeps renewing
    /// auto-renew deliveries while their client lives, so those are extended here when due.
    /// </summary>
    public bool IsInvisibleAt(DateTimeOffset now)
    {
        if (VisibleAt <= now && RenewWhile is { } alive && alive())
        {
            VisibleAt = now + RenewPeriod;
        }

        return VisibleAt > now;
    }
}

/// <summary>
/// POP state of one consumer group on one topic: per queue, the next never-popped offset and
/// the popped messages that are not acked yet (visible again once their invisible time lapses).
/// </summary>
internal sealed class GroupCursor(string group, string topic, int queueCount)
{
    public string Group { get; } = group;

    public string Topic { get; } = topic;

    public long[] NextOffsets { get; } = new long[queueCount];

    public SortedDictionary<long, InFlightEntry>[] InFlight { get; } =
        Enumerable.Range(0, queueCount).Select(_ => new SortedDictionary<long, InFlightEntry>()).ToArray();

    /// <summary>Queue to start the next pop at, so every queue gets its turn.</summary>
    public int NextQueueStart { get; set; }

    public long Acked { get; set; }

    /// <summary>The group's last pop on this topic: the broker remembers the subscription for a while after it.</summary>
    public DateTimeOffset LastPop { get; set; }

    /// <summary>Orderly consumption: a queue is locked while any message of its last batch is invisible.</summary>
    public bool IsBlocked(int queueId, DateTimeOffset now) => InFlight[queueId].Values.Any(entry => entry.IsInvisibleAt(now));

    public long CountInvisible(DateTimeOffset now) => InFlight.Sum(queue => (long)queue.Values.Count(entry => entry.IsInvisibleAt(now)));

    public long CountRedeliverable(DateTimeOffset now) => InFlight.Sum(queue => (long)queue.Values.Count(entry => !entry.IsInvisibleAt(now)));

    public DateTimeOffset? EarliestVisibility(DateTimeOffset now)
    {
        DateTimeOffset? earliest = null;
        foreach (var entry in InFlight.SelectMany(queue => queue.Values))
        {
            if (entry.IsInvisibleAt(now) && (earliest is null || entry.VisibleAt < earliest))
            {
                earliest = entry.VisibleAt;
            }
        }

        return earliest;
    }
}
