namespace RocketMqSource.Emulator;

/// <summary>
/// Counts for one consumer group on one topic. <see cref="Backlog"/>: messages the group could
/// receive now (never popped, or popped and visible again); <see cref="InFlight"/>: popped,
/// not acked and still invisible; <see cref="Acked"/>: acknowledged so far;
/// <see cref="Delayed"/>: messages of the topic waiting for their delivery time.
/// </summary>
public sealed record ConsumerGroupStats(string Group, string Topic, long Backlog, long InFlight, long Acked, long Delayed);

/// <summary>Counts for one topic: messages stored in its queues and delayed messages not yet due.</summary>
public sealed record TopicStats(string Topic, bool Fifo, long Stored, long Delayed);
