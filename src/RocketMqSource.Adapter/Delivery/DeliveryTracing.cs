using System.Diagnostics;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>The W3C trace context headers sent with an event (none when both are null).</summary>
internal readonly record struct TraceHeaders(string? TraceParent, string? TraceState);

/// <summary>
/// The consumer span of one message's delivery (receive → dispatch → ack), named
/// <c>process &lt;topic&gt;</c> as the OpenTelemetry messaging conventions name it, and the W3C
/// trace context the sink receives. The span continues the producer's trace: the message's
/// <c>traceparent</c>/<c>tracestate</c> user properties, else RocketMQ's trace_context system property.
/// </summary>
internal static class DeliveryTracing
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>Starts the span, or returns null when nobody records spans (tracing off) or the sampler drops it.</summary>
    public static Activity? Start(MessageView message, string consumerGroup)
    {
        if (!AdapterTelemetry.Spans.HasListeners())
        {
            return null;
        }

        var parent = ParentOf(message);
        var span = AdapterTelemetry.Spans.StartActivity($"process {message.Topic}", ActivityKind.Consumer, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("messaging.system", "rocketmq");
            span.SetTag("messaging.operation.type", "process");
            span.SetTag("messaging.operation.name", "process");
            span.SetTag("messaging.destination.name", message.Topic);
            span.SetTag("messaging.consumer.group.name", consumerGroup);
            span.SetTag("messaging.message.id", message.MessageId);
            span.SetTag("messaging.rocketmq.message.tag", message.Tag);
            span.SetTag("messaging.rocketmq.message.group", message.MessageGroup);
            span.SetTag("rocketmqsource.delivery_attempt", message.DeliveryAttempt);
        }

        return span;
    }

    /// <summary>The producer's context carried by the message, or default (a new trace) when it has none or it does not parse.</summary>
    public static ActivityContext ParentOf(MessageView message)
    {
        if (message.Properties.TryGetValue(TraceParent, out var traceParent)
            && ActivityContext.TryParse(traceParent, HeaderSafe(message.Properties.GetValueOrDefault(TraceState)), isRemote: true, out var fromProperties))
        {
            return fromProperties;
        }

        return message.TraceContext is { } system && ActivityContext.TryParse(system, null, isRemote: true, out var fromSystem)
            ? fromSystem
            : default;
    }

    /// <summary>
    /// The traceparent/tracestate headers for the sink: our span's when one runs (its id is W3C:
    /// 00-trace-span-flags), else the producer's own, passed through so the sink still continues its trace.
    /// </summary>
    public static TraceHeaders HeadersFor(Activity? span, MessageView message)
    {
        if (span is { IdFormat: ActivityIdFormat.W3C })
        {
            return new TraceHeaders(span.Id, span.TraceStateString);
        }

        var parent = ParentOf(message);
        return parent == default
            ? default
            : new TraceHeaders($"00-{parent.TraceId.ToHexString()}-{parent.SpanId.ToHexString()}-{(int)parent.TraceFlags:x2}", parent.TraceState);
    }

    /// <summary>
    /// The tracestate when it can be an HTTP header (W3C trace-context: printable ASCII, at most 512
    /// characters); else none. ActivityContext.TryParse keeps any text, and HttpClient refuses a
    /// non-ASCII header value before sending, which failed every attempt of such a message.
    /// </summary>
    private static string? HeaderSafe(string? traceState) =>
        traceState is { Length: <= 512 } && traceState.All(c => c is >= ' ' and <= '~') ? traceState : null;

    public static void Event(Activity? span, string name, int? statusCode)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        var tags = new ActivityTagsCollection();
        if (statusCode is { } code)
        {
            tags[AdapterTelemetry.StatusCodeTag] = code;
        }

        span.AddEvent(new ActivityEvent(name, tags: tags));
    }
}
