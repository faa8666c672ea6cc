using System.Globalization;
using System.Text;

namespace RocketMqSource.Controller.Hosting;

/// <summary>The controller's Prometheus metrics (text exposition format 0.0.4), written by hand.</summary>
internal sealed class ControllerMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly Lock gate = new();
    private readonly long[] bucketCounts = new long[Buckets.Length];
    private long successes;
    private long errors;
    private long durationCount;
    private double durationSum;

    /// <summary>Reads the current queue depth when metrics are scraped.</summary>
    public Func<int> QueueDepth { get; set; } = () => 0;

    /// <summary>Reads whether this replica leads.</summary>
    public Func<bool> IsLeader { get; set; } = () => false;

    public long Successes => Interlocked.Read(ref successes);

    public long Errors => Interlocked.Read(ref errors);

    public long Reconciles => Successes + Errors;

    public void RecordReconcile(bool success, TimeSpan duration)
    {
        Interlocked.Increment(ref success ? ref successes : ref errors);
        lock (gate)
        {
            durationCount++;
            durationSum += duration.TotalSeconds;
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (duration.TotalSeconds <= Buckets[i])
                {
                    bucketCounts[i]++;
                }
            }
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        Header(text, "rocketmqsource_controller_reconcile_total", "Reconciles of RocketMQSources by result.", "counter");
        Line(text, "rocketmqsource_controller_reconcile_total{result=\"success\"}", Successes);
        Line(text, "rocketmqsource_controller_reconcile_total{result=\"error\"}", Errors);
        Header(text, "rocketmqsource_controller_reconcile_errors_total", "Reconciles that failed and were retried with backoff.", "counter");
        Line(text, "rocketmqsource_controller_reconcile_errors_total", Errors);
        Header(text, "rocketmqsource_controller_reconcile_duration_seconds", "How long one reconcile took.", "histogram");
        lock (gate)
        {
            for (var i = 0; i < Buckets.Length; i++)
            {
                Line(text, $"rocketmqsource_controller_reconcile_duration_seconds_bucket{{le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}}", bucketCounts[i]);
            }

            Line(text, "rocketmqsource_controller_reconcile_duration_seconds_bucket{le=\"+Inf\"}", durationCount);
            text.Append("rocketmqsource_controller_reconcile_duration_seconds_sum ").Append(durationSum.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Line(text, "rocketmqsource_controller_reconcile_duration_seconds_count", durationCount);
        }

        Header(text, "rocketmqsource_controller_work_queue_depth", "Source keys waiting to be reconciled.", "gauge");
        Line(text, "rocketmqsource_controller_work_queue_depth", QueueDepth());
        Header(text, "rocketmqsource_controller_leader", "1 while this replica holds the leader lease.", "gauge");
        Line(text, "rocketmqsource_controller_leader", IsLeader() ? 1 : 0);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string series, long value) =>
        text.Append(series).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
