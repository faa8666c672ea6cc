using FoodDelivery.LocalRun.Reporting;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The adapter Deployment's replicas: real adapter processes on one consumer group.
/// <see cref="ScaleTo"/> starts processes or stops the newest (a not-yet-consuming one first, as
/// a ReplicaSet ranks pods to delete: kubernetes pkg/controller/controller_utils.go
/// ActivePodsWithRanks) with SIGTERM: the adapter stops receiving and drains its
/// deliveries, and whatever it could not ack comes back from RocketMQ. An adapter that exits
/// without being asked is a failure of the run.
/// </summary>
internal sealed class AdapterFleet : IAsyncDisposable
{
    /// <summary>Kubernetes' default terminationGracePeriodSeconds: SIGKILL after it.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly string adapterDll;
    private readonly Func<int, (IReadOnlyDictionary<string, string> Environment, int MetricsPort)> environmentFor;
    private readonly ScalingTimeline timeline;
    private readonly TextWriter echo;
    private readonly bool verbose;
    private readonly List<AdapterChildProcess> current = [];
    private readonly List<AdapterChildProcess> all = [];
    private readonly List<Task> stopping = [];
    private readonly List<Task> watchers = [];
    private int desired;

    /// <param name="environmentFor">The environment of adapter number n (its own ports) and its metrics port.</param>
    public AdapterFleet(
        string adapterDll, Func<int, (IReadOnlyDictionary<string, string> Environment, int MetricsPort)> environmentFor,
        ScalingTimeline timeline, TextWriter echo, bool verbose)
    {
        this.adapterDll = adapterDll;
        this.environmentFor = environmentFor;
        this.timeline = timeline;
        this.echo = echo;
        this.verbose = verbose;
    }

    /// <summary>Raised with each adapter the fleet starts.</summary>
    public event Action<AdapterChildProcess>? Started;

    /// <summary>The replicas asked for (spec.replicas).</summary>
    public int Desired
    {
        get
        {
            lock (gate)
            {
                return desired;
            }
        }
    }

    /// <summary>Adapter processes running and not asked to stop (the Deployment's status.replicas).</summary>
    public int Running
    {
        get
        {
            lock (gate)
            {
                return current.Count(a => !a.HasExited);
            }
        }
    }

    /// <summary>Adapters that logged that they consume.</summary>
    public int Consuming
    {
        get
        {
            lock (gate)
            {
                return current.Count(a => a.ConsumingAt is not null && !a.HasExited);
            }
        }
    }

    /// <summary>The adapters running now, oldest first.</summary>
    public IReadOnlyList<AdapterChildProcess> Current
    {
        get
        {
            lock (gate)
            {
                return [.. current];
            }
        }
    }

    /// <summary>Every adapter the run started, in order.</summary>
    public IReadOnlyList<AdapterChildProcess> All
    {
        get
        {
            lock (gate)
            {
                return [.. all];
            }
        }
    }

    /// <summary>An adapter that exited without being asked to, if any.</summary>
    public AdapterChildProcess? Failed => All.FirstOrDefault(a => a.HasExited && !a.StopRequested);

    public void ScaleTo(int replicas, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        int from;
        var started = new List<AdapterChildProcess>();
        lock (gate)
        {
            from = desired;
            desired = replicas;
            while (current.Count < replicas)
            {
                var number = all.Count + 1;
                var (environment, metricsPort) = environmentFor(number);
                var adapter = AdapterChildProcess.Start(adapterDll, environment, echo, verbose, number, metricsPort);
                current.Add(adapter);
                all.Add(adapter);
                watchers.Add(WatchAsync(adapter));
                started.Add(adapter);
            }

            while (current.Count > replicas)
            {
                var victim = current.OrderBy(a => a.ConsumingAt is not null).ThenByDescending(a => a.Number).First();
                current.Remove(victim);
                stopping.Add(StopAsync(victim));
            }
        }

        timeline.Scaled(ScaledComponent.Adapters, from, replicas, reason);
        foreach (var adapter in started)
        {
            Started?.Invoke(adapter);
        }

        RecordConsuming();
    }

    /// <summary>Waits until every adapter asked to stop has exited.</summary>
    public async Task WhenStoppedAsync()
    {
        Task[] pending;
        lock (gate)
        {
            pending = [.. stopping];
        }

        await Task.WhenAll(pending);
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            // The run is over: stop what is left without recording it as scaling.
            foreach (var adapter in current)
            {
                stopping.Add(adapter.StopAsync(TimeSpan.FromSeconds(10)));
            }

            current.Clear();
            pending = [.. stopping, .. watchers];
        }

        await Task.WhenAll(pending);
        foreach (var adapter in All)
        {
            await adapter.DisposeAsync();
        }
    }

    private async Task StopAsync(AdapterChildProcess adapter)
    {
        await adapter.StopAsync(TerminationGrace);
        RecordConsuming();
    }

    private async Task WatchAsync(AdapterChildProcess adapter)
    {
        await adapter.WaitUntilConsumingAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        RecordConsuming();
        await adapter.Exited;
        RecordConsuming();
    }

    private void RecordConsuming() => timeline.ReadyChanged(ScaledComponent.Adapters, Consuming);
}
