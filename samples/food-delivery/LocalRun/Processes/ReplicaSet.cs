using FoodDelivery.LocalRun.Reporting;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>One replica of a ReplicaSet: a process of this run, numbered in start order.</summary>
internal interface IReplica : IAsyncDisposable
{
    /// <summary>1 for the first replica the run started, and so on (a pod's name, in a cluster).</summary>
    int Number { get; }

    /// <summary>Completes when it is ready (serves, or consumes).</summary>
    Task Ready { get; }

    bool IsReady { get; }

    Task Exited { get; }

    bool HasExited { get; }

    /// <summary>True once it was told to stop: its exit is expected.</summary>
    bool StopRequested { get; }
}

/// <summary>
/// The replicas of one Deployment, as its ReplicaSet keeps them: <see cref="ScaleTo"/> starts
/// replicas or takes replicas away, not-ready ones first and then the newest (kubernetes
/// pkg/controller/controller_utils.go ActivePodsWithRanks: not ready before ready, then the one
/// ready or created more recently), and hands each to <c>stop</c>. Every change of the wanted and
/// of the ready replicas goes to the run's timeline. Thread-safe: the autoscalers and the
/// processes' own events call in from their threads.
/// </summary>
internal sealed class ReplicaSet<T> : IAsyncDisposable
    where T : class, IReplica
{
    private readonly Lock gate = new();
    private readonly ScaledComponent component;
    private readonly Func<int, T> start;
    private readonly Func<T, Task> stop;
    private readonly ScalingTimeline timeline;
    private readonly List<T> current = [];
    private readonly List<T> all = [];
    private readonly List<Task> pending = [];
    private int desired;

    /// <param name="start">Starts replica number n.</param>
    /// <param name="stop">Stops a replica taken away (drain, SIGTERM); the set waits for it at the end.</param>
    public ReplicaSet(ScaledComponent component, Func<int, T> start, Func<T, Task> stop, ScalingTimeline timeline)
    {
        this.component = component;
        this.start = start;
        this.stop = stop;
        this.timeline = timeline;
    }

    /// <summary>Raised when a replica became ready, was taken away, or exited.</summary>
    public event Action? Changed;

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

    /// <summary>The replicas running now and not taken away, oldest first.</summary>
    public IReadOnlyList<T> Current
    {
        get
        {
            lock (gate)
            {
                return [.. current];
            }
        }
    }

    /// <summary>Every replica the run started, in order.</summary>
    public IReadOnlyList<T> All
    {
        get
        {
            lock (gate)
            {
                return [.. all];
            }
        }
    }

    public int ReadyCount
    {
        get
        {
            lock (gate)
            {
                return current.Count(r => r.IsReady);
            }
        }
    }

    /// <summary>A replica that exited without being told to, if any.</summary>
    public T? Failed => All.FirstOrDefault(r => r.HasExited && !r.StopRequested);

    /// <summary>Runs <paramref name="choose"/> on the current replicas under the set's lock, so none is taken away meanwhile.</summary>
    public TResult Locked<TResult>(Func<IReadOnlyList<T>, TResult> choose)
    {
        lock (gate)
        {
            return choose(current);
        }
    }

    /// <summary>Sets the replicas; returns the ones it started.</summary>
    public IReadOnlyList<T> ScaleTo(int replicas, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        int from;
        var started = new List<T>();
        lock (gate)
        {
            from = desired;
            desired = replicas;
            while (current.Count < replicas)
            {
                var replica = start(all.Count + 1);
                current.Add(replica);
                all.Add(replica);
                started.Add(replica);
                pending.Add(WatchAsync(replica));
            }

            while (current.Count > replicas)
            {
                var victim = current.OrderBy(r => r.IsReady).ThenByDescending(r => r.Number).First();
                current.Remove(victim);
                pending.Add(StopAsync(victim));
            }
        }

        timeline.Scaled(component, from, replicas, reason);
        OnChange();
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        Task[] waiting;
        lock (gate)
        {
            // The run is over: what is left stops without being recorded as scaling.
            pending.AddRange(current.Select(stop));
            current.Clear();
            waiting = [.. pending];
        }

        await Task.WhenAll(waiting);
        foreach (var replica in All)
        {
            await replica.DisposeAsync();
        }
    }

    private async Task StopAsync(T victim)
    {
        await stop(victim);
        OnChange();
    }

    /// <summary>What is ready changes when the replica becomes ready and when it exits.</summary>
    private async Task WatchAsync(T replica)
    {
        await Task.WhenAny(replica.Ready, replica.Exited);
        OnChange();
        await replica.Exited;
        OnChange();
    }

    private void OnChange()
    {
        timeline.ReadyChanged(component, ReadyCount);
        Changed?.Invoke();
    }
}
