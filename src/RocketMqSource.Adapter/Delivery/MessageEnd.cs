using CloudNative.CloudEvents;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>How the adapter let go of a message: every received message takes exactly one of these.</summary>
internal enum End
{
    /// <summary>The sink answered 2xx; the message is acked.</summary>
    Delivered,

    /// <summary>The dead-letter sink answered 2xx to the event with Knative's error extensions; the message is acked.</summary>
    DeadLettered,

    /// <summary>Given back to RocketMQ (ChangeInvisibleDuration), so the group's max delivery attempts and %DLQ% take over.</summary>
    HandedBack,

    /// <summary>Left alone at shutdown: it returns after its invisible duration and another replica takes it.</summary>
    Abandoned,
}

/// <summary>Why a message took its end: the metric's <c>reason</c> label and the log line's words.</summary>
internal enum EndReason
{
    /// <summary>The sink took the event.</summary>
    Accepted,

    /// <summary>The sink answered a status outside Knative's retry set (400, 413, …).</summary>
    SinkRejected,

    /// <summary>Every attempt got a retryable answer (no response, timeout, 404, 429, 5xx, …).</summary>
    RetriesExhausted,

    /// <summary>The message cannot become its event: it claims to be a CloudEvent (CE_ properties, a structured content type) but is not a valid one.</summary>
    Unconvertible,

    /// <summary>The event could not be written as an HTTP request (the SDK or the formatter refused it).</summary>
    Unencodable,

    /// <summary>An exception nobody classified; counted by RocketMQ's delivery attempts up to <see cref="MessageEnds.UnexpectedFailureBound"/>.</summary>
    Unexpected,

    /// <summary>The dead-letter sink did not take the event either.</summary>
    DeadLetterSinkFailed,

    /// <summary>An earlier message of its message group was handed back: it goes back too, so the group's order holds.</summary>
    GroupOrder,

    /// <summary>The adapter stopped before the delivery ended.</summary>
    Shutdown,
}

/// <summary>
/// A delivery that did not reach the sink: why, the last answer (a sink's response, or the error in
/// words as its body, which becomes knativeerrordata) and the event the dead-letter sink would get
/// (null: the plain mapping of the raw message).
/// </summary>
internal sealed record DeliveryFailure(EndReason Reason, AttemptResult LastAttempt, CloudEvent? DeadLetterEvent = null)
{
    /// <summary>An exception nobody classified, logged with its stack trace once the message's end is known.</summary>
    public Exception? Exception { get; init; }

    /// <summary>A failure that is no HTTP answer: the reason in words stands in for the response body.</summary>
    public static DeliveryFailure Described(EndReason reason, string detail, CloudEvent? deadLetterEvent = null) =>
        new(reason, new AttemptResult(null, System.Text.Encoding.UTF8.GetBytes(detail), null, detail), deadLetterEvent);

    /// <summary>The sink's last answer after the retry rules gave up on it.</summary>
    public static DeliveryFailure FromSink(AttemptResult last, CloudEvent cloudEvent) =>
        new(DeliveryDecisions.IsRetryable(last.StatusCode) ? EndReason.RetriesExhausted : EndReason.SinkRejected, last, cloudEvent);
}

/// <summary>
/// Decides a failed message's end, free of I/O. A failure that will repeat (the sink's refusal or
/// exhausted retries, a message that cannot become its event, an event the SDK cannot encode) is final at once; an
/// unexpected exception is retried through RocketMQ (handed back) until the message's delivery
/// attempt reaches <see cref="UnexpectedFailureBound"/>, then final too. A final failure goes to the
/// dead-letter sink when there is one, else back to RocketMQ, whose max delivery attempts and %DLQ%
/// end it. Nothing is left to come back forever.
/// </summary>
internal static class MessageEnds
{
    public const int UnexpectedFailureBound = 3;

    /// <summary>DeadLettered means "send it to the dead-letter sink" (it ends HandedBack if that sink refuses too).</summary>
    public static End Decide(EndReason failure, int deliveryAttempt, bool hasDeadLetterSink) => failure switch
    {
        EndReason.Accepted => End.Delivered,
        EndReason.Shutdown => End.Abandoned,
        EndReason.GroupOrder or EndReason.DeadLetterSinkFailed => End.HandedBack,
        EndReason.Unexpected when deliveryAttempt < UnexpectedFailureBound => End.HandedBack,
        _ => hasDeadLetterSink ? End.DeadLettered : End.HandedBack,
    };

    /// <summary>The metric label of an end.</summary>
    public static string Label(End end) => end switch
    {
        End.Delivered => "delivered",
        End.DeadLettered => "dead_lettered",
        End.HandedBack => "handed_back",
        _ => "abandoned",
    };

    /// <summary>The metric label of a reason.</summary>
    public static string Label(EndReason reason) => reason switch
    {
        EndReason.Accepted => "accepted",
        EndReason.SinkRejected => "sink_rejected",
        EndReason.RetriesExhausted => "retries_exhausted",
        EndReason.Unconvertible => "unconvertible",
        EndReason.Unencodable => "unencodable",
        EndReason.Unexpected => "unexpected",
        EndReason.DeadLetterSinkFailed => "dead_letter_sink_failed",
        EndReason.GroupOrder => "group_order",
        _ => "shutdown",
    };
}
