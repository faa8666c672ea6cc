using FoodDelivery.LocalRun.Reporting;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The adapter Deployment's replicas: real adapter processes on one consumer group. A replica
/// taken away gets SIGTERM: the adapter stops receiving and drains its deliveries, and whatever
/// it could not ack comes back from RocketMQ. An adapter that exits without being asked is a
/// failure of the run.
/// </summary>
internal sealed class AdapterFleet : IAsyncDisposable
{
    /// <summary>Kubernetes' default terminationGracePeriodSeconds: SIGKILL after it.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    private readonly ReplicaSet<AdapterChildProcess> replicas;

    /// <param name="environmentFor">The environment of adapter number n (its own ports) and its metrics port.</param>
    public AdapterFleet(
        string adapterProgram, Func<int, (IReadOnlyDictionary<string, string> Environment, int MetricsPort)> environmentFor,
        ScalingTimeline timeline, TextWriter echo, bool verbose)
    {
        replicas = new ReplicaSet<AdapterChildProcess>(
            ScaledComponent.Adapters,
            number =>
            {
                var (environment, metricsPort) = environmentFor(number);
                return AdapterChildProcess.Start(adapterProgram, environment, echo, verbose, number, metricsPort);
            },
            adapter => adapter.StopAsync(TerminationGrace),
            timeline);
    }

    /// <summary>Raised with each adapter the fleet starts.</summary>
    public event Action<AdapterChildProcess>? Started;

    /// <summary>The replicas asked for (spec.replicas).</summary>
    public int Desired => replicas.Desired;

    /// <summary>Adapter processes started and not taken away (the Deployment's status.replicas).</summary>
    public int Running => replicas.Current.Count(a => !a.HasExited);

    /// <summary>Adapters that logged that they consume.</summary>
    public int Consuming => replicas.ReadyCount;

    /// <summary>The adapters running now, oldest first.</summary>
    public IReadOnlyList<AdapterChildProcess> Current => replicas.Current;

    /// <summary>Every adapter the run started, in order.</summary>
    public IReadOnlyList<AdapterChildProcess> All => replicas.All;

    /// <summary>An adapter that exited without being asked to, if any.</summary>
    public AdapterChildProcess? Failed => replicas.Failed;

    public void ScaleTo(int count, string reason)
    {
        foreach (var adapter in replicas.ScaleTo(count, reason))
        {
            Started?.Invoke(adapter);
        }
    }

    public ValueTask DisposeAsync() => replicas.DisposeAsync();
}
