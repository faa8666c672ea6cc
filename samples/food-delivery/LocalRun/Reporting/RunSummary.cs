using System.Globalization;
using System.Text;
using FoodDelivery.LocalRun.Ledger;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>The final summary of a local run and whether it passed. Pure: text from numbers.</summary>
internal sealed record RunSummary(LedgerReport Ledger, long FailedSends, bool Interrupted)
{
    /// <summary>Lost orders listed by id at most.</summary>
    public const int LostIdsShown = 10;

    /// <summary>Passed: orders were produced, none failed to send, and every one reached the order service.</summary>
    public bool Passed => !Interrupted && Ledger.Produced > 0 && FailedSends == 0 && Ledger.Lost.Count == 0;

    public string Verdict =>
        Interrupted ? "INTERRUPTED: the run was stopped before it finished"
        : Ledger.Produced == 0 ? "FAILED: no order was produced"
        : Ledger.Lost.Count > 0 ? $"FAILED: {Ledger.Lost.Count} produced order(s) never reached the order service"
        : FailedSends > 0 ? $"FAILED: {FailedSends} order(s) could not be sent to RocketMQ"
        : "OK: every produced order reached the order service";

    public string Render()
    {
        var ledger = Ledger;
        var text = new StringBuilder();
        void Line(string value) => text.Append(value).Append('\n');
        Line("summary");
        Line(Row("orders produced", ledger.Produced, FailedSends > 0 ? $"({FailedSends} failed to send)" : string.Empty));
        Line(Row("delivered (unique)", ledger.Delivered, string.Empty));
        Line(Row("duplicates", ledger.Duplicates, "(deliveries beyond the first; at-least-once)"));
        Line(Row("lost", ledger.Lost.Count, string.Empty));
        if (ledger.Unexpected > 0)
        {
            Line(Row("not from this run", ledger.Unexpected, "(orders already in the topic)"));
        }

        Line(string.Create(CultureInfo.InvariantCulture,
            $"  {"throughput",-20}{ledger.Throughput,8:0.0} orders/s  (first send to last delivery {ledger.Window.TotalSeconds:0.0} s; peak {ledger.PeakPerSecond}/s)"));
        Line(ledger.Latency.Count == 0
            ? $"  {"latency",-20}       -"
            : string.Create(CultureInfo.InvariantCulture,
                $"  {"latency",-20}p50 {Ms(ledger.Latency.P50)}  p90 {Ms(ledger.Latency.P90)}  p99 {Ms(ledger.Latency.P99)}  max {Ms(ledger.Latency.Max)}"));
        Line("  (latency: producer send started -> order service received the order, first delivery)");
        if (ledger.ColdStartWaits.Count > 0)
        {
            var waits = ledger.ColdStartWaits;
            var warm = ledger.LatencyWithoutColdStarts;
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  {"cold-start wait",-20}{waits.Count} orders  p50 {Ms(waits.P50)}  p90 {Ms(waits.P90)}  max {Ms(waits.Max)}"));
            Line("  (included above: waiting in RocketMQ for an adapter, or at the activator for an order-service instance, to start from zero)");
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  {"latency less wait",-20}p50 {Ms(warm.P50)}  p90 {Ms(warm.P90)}  p99 {Ms(warm.P99)}  max {Ms(warm.Max)}"));
        }

        if (ledger.Lost.Count > 0)
        {
            var shown = string.Join(' ', ledger.Lost.Take(LostIdsShown));
            Line($"  lost orders: {shown}{(ledger.Lost.Count > LostIdsShown ? " ..." : string.Empty)}");
        }

        Line(Verdict);
        return text.ToString();
    }

    private static string Row(string label, long value, string note) =>
        string.Create(CultureInfo.InvariantCulture, $"  {label,-20}{value,8}  {note}").TrimEnd();

    private static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms");
}
