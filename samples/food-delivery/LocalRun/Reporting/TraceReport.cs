using System.Collections.Concurrent;
using System.Diagnostics;
using FoodDelivery.LocalRun.Serving;
using FoodDelivery.OrderProducer;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>
/// --trace: which produced orders reached the order service in the trace the producer started
/// (the service logs the trace id of the traceparent header it received), with one order's
/// producer context and service log line as the example.
/// </summary>
internal sealed class TraceReport
{
    private readonly ConcurrentDictionary<string, OrderLogEntry> received = new(StringComparer.Ordinal);

    public void Received(OrderLogEntry order)
    {
        if (order.TraceId is not null)
        {
            received.TryAdd(order.OrderId, order);
        }
    }

    public IEnumerable<string> Render(IReadOnlyList<SentOrder> sent)
    {
        var traced = sent.Where(o => o.TraceParent is not null).ToList();
        var matching = traced.Where(o => received.TryGetValue(o.OrderId, out var entry) && entry.TraceId == TraceId(o.TraceParent!)).ToList();
        yield return $"trace ids      {matching.Count} of {traced.Count} traced orders reached the service in the producer's trace";
        if (matching.FirstOrDefault() is { } example)
        {
            var entry = received[example.OrderId];
            yield return $"  producer     order {example.OrderId} sent with traceparent {example.TraceParent}";
            yield return $"  service      logged trace id {entry.TraceId} (from the traceparent header it received)";
            yield return $"  service log  {entry.Line}";
        }
    }

    private static string? TraceId(string traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
