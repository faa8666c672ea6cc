namespace RocketMqSource.Adapter.Delivery;

internal enum DispatchResult
{
    /// <summary>The sink answered 2xx: ack.</summary>
    Delivered,

    /// <summary>The sink refused or retries ran out, and the dead-letter sink answered 2xx: ack.</summary>
    DeadLettered,

    /// <summary>Neither sink took the event: hand the message back to RocketMQ.</summary>
    Undelivered,
}

/// <summary>How a delivery ended, with the last attempt made to the sink.</summary>
internal sealed record DispatchOutcome(DispatchResult Result, AttemptResult LastAttempt);
