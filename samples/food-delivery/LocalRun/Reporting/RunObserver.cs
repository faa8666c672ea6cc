using FoodDelivery.LocalRun.Ledger;
using FoodDelivery.LocalRun.Processes;
using FoodDelivery.LocalRun.Serving;
using RocketMqSource.Emulator.Hosting;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>
/// Watches a run: samples it every quarter second for the chart, writes a progress line every
/// second once the day has started, and aborts the run when a process died on its own.
/// </summary>
internal sealed class RunObserver(
    LocalRunOptions options, DeliveryLedger ledger, RocketMqEmulator? emulator, ServiceFleet services, AdapterFleet adapters, ScalingTimeline timeline,
    Action<string> write)
{
    public const string Starting = "start";
    public const string Done = "done";

    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private const int SamplesPerLine = 4;

    private readonly List<ChartSample> samples = [];
    private volatile string phase = Starting;
    private long produced;

    /// <summary>What the run does now: start, produce, drain, settle, done.</summary>
    public string Phase
    {
        get => phase;
        set => phase = value;
    }

    /// <summary>The chart's points so far.</summary>
    public IReadOnlyList<ChartSample> Samples
    {
        get
        {
            lock (samples)
            {
                return [.. samples];
            }
        }
    }

    /// <summary>Orders the producer reported as sent (a real proxy gives no stored count).</summary>
    public void Produced(long sent) => Interlocked.Exchange(ref produced, sent);

    public async Task RunAsync(CancellationTokenSource abort, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleEvery);
        long lastDelivered = 0;
        var sample = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var snapshot = Snapshot(lastDelivered);
                lock (samples)
                {
                    samples.Add(new ChartSample(snapshot.Elapsed, snapshot.Produced, snapshot.Backlog + snapshot.InFlight, snapshot.Service, snapshot.Adapters));
                }

                if (++sample % SamplesPerLine == 0 && snapshot.Phase != Starting)
                {
                    write(snapshot.Format());
                    lastDelivered = snapshot.Delivered;
                }

                if (adapters.Failed is not null || services.Failed is not null)
                {
                    await abort.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run moved on to its summary.
        }
    }

    /// <summary>The run now; the rate is what was delivered since <paramref name="lastDelivered"/>, a second ago.</summary>
    public ProgressSnapshot Snapshot(long lastDelivered)
    {
        var now = phase;
        var delivered = ledger.DeliveredUnique;
        var stats = emulator?.GetGroupStats(options.ConsumerGroup, options.Topic);
        // The emulator knows what it stored right now; the producer only reports once a second.
        var producedNow = emulator?.GetTopicStats().FirstOrDefault(t => t.Topic == options.Topic) is { } topic
            ? topic.Stored
            : Interlocked.Read(ref produced);
        return new ProgressSnapshot(timeline.Elapsed, now, producedNow, delivered, stats?.InFlight, stats?.Backlog,
            now == Done ? 0 : Math.Max(0, delivered - lastDelivered),
            new Replicas(services.Ready, services.Desired), new Replicas(adapters.Consuming, adapters.Desired));
    }
}
