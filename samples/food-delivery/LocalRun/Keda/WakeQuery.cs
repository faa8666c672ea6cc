namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// The wake trigger KEDA polls beside the backlog: what the controller's shipped wake query reads
/// (config/401-config-rocketmq-autoscaler.yaml wake-query), evaluated on the scrapes of the
/// broker's /metrics: 1 when a message entered the topic within the window, else 0. Per series of
/// each ingress counter, "now minus one window ago", or the whole count when the series is newer
/// than that or went back. The broker reports these whatever groups it remembers, so the wake
/// trigger takes a source from zero after the broker forgot its group. Pure.
/// </summary>
internal static class WakeQuery
{
    /// <summary>apache/rocketmq BrokerMetricsConstant / DefaultStoreMetricsConstant names: sends, delayed messages come due, committed transactions.</summary>
    public static readonly IReadOnlyList<string> IngressCounters = ["rocketmq_messages_in_total", "rocketmq_timer_dequeue_total", "rocketmq_commit_messages_total"];

    public static double Evaluate(ScrapeHistory history, DateTimeOffset at, string topic)
    {
        var total = IngressCounters.Sum(counter =>
        {
            var before = Series(history.At(at - history.Window), counter, topic);
            return Series(history.At(at), counter, topic).Sum(now =>
                before.TryGetValue(now.Key, out var old) && now.Value >= old ? now.Value - old : now.Value);
        });
        return total > 0 ? 1 : 0;
    }

    private static Dictionary<string, double> Series(IReadOnlyList<PrometheusSample> samples, string counter, string topic) =>
        samples.Where(s => s.Name == counter && s.Labels.GetValueOrDefault("topic") == topic)
            .ToDictionary(s => string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")), s => s.Value, StringComparer.Ordinal);
}
