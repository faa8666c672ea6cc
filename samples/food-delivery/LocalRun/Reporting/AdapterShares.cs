using System.Globalization;
using System.Text;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>What one adapter process delivered, read from its own /metrics.</summary>
internal sealed record AdapterShare(int Number, int ProcessId, long Delivered);

/// <summary>
/// How the adapter processes of one consumer group shared the orders. Pure: the delivered count
/// comes from the adapter's Prometheus text, the table from the counts.
/// </summary>
internal static class AdapterShares
{
    /// <summary>The adapter's counter of events the sink accepted (all response codes).</summary>
    public const string DeliveredCounter = "rocketmqsource_events_delivered_total";

    /// <summary>Sums every sample of the delivered counter (one per response code label set).</summary>
    public static long DeliveredFrom(string prometheusText) => (long)PrometheusText.Sum(prometheusText, DeliveredCounter);

    public static string Render(IReadOnlyList<AdapterShare> shares)
    {
        var text = new StringBuilder();
        text.Append(string.Create(CultureInfo.InvariantCulture, $"adapters      {shares.Count} processes on one consumer group\n"));
        var total = shares.Sum(s => s.Delivered);
        foreach (var share in shares)
        {
            var percent = total == 0 ? 0 : 100.0 * share.Delivered / total;
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"  adapter {share.Number,-3} pid {share.ProcessId,-8}{share.Delivered,8} delivered  ({percent:0}%)\n"));
        }

        return text.ToString();
    }
}
