using System.Diagnostics.Metrics;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The controller's instruments (System.Diagnostics.Metrics, exported by OpenTelemetry as
/// config-observability says). The work queue's follow knative/pkg
/// observability/metrics/k8s/workqueue.go (kn.workqueue.*, labelled with the queue's name);
/// reconcile outcomes and leadership are ours.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string Name = "RocketMqSource.Controller";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly KeyValuePair<string, object?> QueueName = new("name", "rocketmqsources");
    private static readonly KeyValuePair<string, object?> Success = new("result", "success");
    private static readonly KeyValuePair<string, object?> Failure = new("result", "error");

    private readonly Counter<long> reconciles;
    private readonly Histogram<double> processDuration;
    private long successes;
    private long errors;

    public ControllerMetrics()
    {
        Meter = new Meter(Name);
        reconciles = Meter.CreateCounter<long>("rocketmqsource.controller.reconciles", "{reconcile}", "Reconciles of RocketMQSources by result.");
        processDuration = Meter.CreateHistogram<double>("kn.workqueue.process.duration", "s", "How long processing an item from the work queue (one reconcile) takes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        Meter.CreateObservableUpDownCounter("kn.workqueue.depth", () => new Measurement<long>(QueueDepth(), QueueName), "{item}", "Number of current items in the queue.");
        Meter.CreateObservableGauge("rocketmqsource.controller.leader", () => IsLeader() ? 1 : 0, "{replica}", "1 while this replica holds the leader lease.");
    }

    public Meter Meter { get; }

    /// <summary>Reads the current queue depth when metrics are collected.</summary>
    public Func<int> QueueDepth { get; set; } = () => 0;

    /// <summary>Reads whether this replica leads.</summary>
    public Func<bool> IsLeader { get; set; } = () => false;

    public long Successes => Interlocked.Read(ref successes);

    public long Errors => Interlocked.Read(ref errors);

    public long Reconciles => Successes + Errors;

    public void RecordReconcile(bool success, TimeSpan duration)
    {
        Interlocked.Increment(ref success ? ref successes : ref errors);
        reconciles.Add(1, success ? Success : Failure);
        processDuration.Record(duration.TotalSeconds, QueueName);
    }

    public void Dispose() => Meter.Dispose();
}
