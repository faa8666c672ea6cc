using System.Collections.Concurrent;
using System.Diagnostics;
using FoodDelivery.OrderProducer;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>
/// --trace: which produced orders reached the order service in the trace the producer started
/// (the service's traceparent header carries the producer's trace id), with one order's
/// producer context and service log line as the example.
/// </summary>
internal sealed class TraceReport
{
    private readonly ConcurrentDictionary<string, string> received = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> serviceLog = new();

    /// <summary>The order service's log, kept to show one of its lines.</summary>
    public TextWriter ServiceLog => new QueueWriter(serviceLog);

    public void Received(string orderId, string? traceParent)
    {
        if (traceParent is not null)
        {
            received.TryAdd(orderId, traceParent);
        }
    }

    public IEnumerable<string> Render(IReadOnlyList<SentOrder> sent)
    {
        var traced = sent.Where(o => o.TraceParent is not null).ToList();
        var matching = traced.Where(o => received.TryGetValue(o.OrderId, out var header) && TraceId(header) == TraceId(o.TraceParent!)).ToList();
        yield return $"trace ids      {matching.Count} of {traced.Count} traced orders reached the service in the producer's trace";
        if (matching.FirstOrDefault() is { } example)
        {
            yield return $"  producer     order {example.OrderId} sent with traceparent {example.TraceParent}";
            yield return $"  service      got traceparent {received[example.OrderId]}";
            if (serviceLog.FirstOrDefault(line => line.Contains(example.OrderId, StringComparison.Ordinal)) is { } line)
            {
                yield return $"  service log  {line}";
            }
        }
    }

    private static string? TraceId(string traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>Collects whole lines; the service writes one JSON line per call.</summary>
    private sealed class QueueWriter(ConcurrentQueue<string> lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value is not null)
            {
                lines.Enqueue(value);
            }
        }
    }
}
