using FoodDelivery.LocalRun.Reporting;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// The order service revision's instances, as its Deployment and endpoints would hold them:
/// <see cref="ScaleTo"/> starts processes or takes the newest out (a not-yet-ready one first,
/// as a ReplicaSet ranks pods to delete: kubernetes pkg/controller/controller_utils.go
/// ActivePodsWithRanks), drains it — no new requests, the ones in flight
/// finish — and stops it with SIGTERM. The activator front routes only to ready instances that
/// are not draining. An instance that exits without being asked is a failure of the run.
/// </summary>
internal sealed class ServiceFleet : IAsyncDisposable
{
    /// <summary>How long an instance may take to exit after SIGTERM before it is killed (Kestrel's own shutdown timeout is 30 s).</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly string serviceDll;
    private readonly Action<OrderLogEntry> onOrder;
    private readonly ScalingTimeline timeline;
    private readonly Func<int> freePort;
    private readonly HttpClient probeClient = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<OrderServiceInstance> current = [];
    private readonly List<OrderServiceInstance> all = [];
    private readonly List<Task> stopping = [];
    private readonly List<Task> watchers = [];
    private TaskCompletionSource changed = NewSignal();
    private int desired;

    public ServiceFleet(string serviceDll, Action<OrderLogEntry> onOrder, ScalingTimeline timeline, Func<int> freePort)
    {
        this.serviceDll = serviceDll;
        this.onOrder = onOrder;
        this.timeline = timeline;
        this.freePort = freePort;
    }

    /// <summary>The replicas asked for (the Deployment's spec.replicas).</summary>
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

    /// <summary>Instances that answer and take requests.</summary>
    public int Ready
    {
        get
        {
            lock (gate)
            {
                return current.Count(i => i.IsReady);
            }
        }
    }

    /// <summary>Completes at the next change of what can be routed to (an instance ready, draining or gone).</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>Every instance the run started, in order.</summary>
    public IReadOnlyList<OrderServiceInstance> All
    {
        get
        {
            lock (gate)
            {
                return [.. all];
            }
        }
    }

    /// <summary>An instance that exited without being asked to, if any.</summary>
    public OrderServiceInstance? Failed => All.FirstOrDefault(i => i.HasExited && !i.StopRequested);

    /// <summary>
    /// The instance for the next request, its request already counted: the less loaded of two
    /// picked at random (Knative's activator for containerConcurrency 0,
    /// pkg/activator/net/lb_policy.go randomChoice2Policy); null when none is ready. Picking and
    /// counting under the fleet's lock means an instance taken out of the routing never gets a
    /// request after its drain began; the caller ends it with <see cref="OrderServiceInstance.RequestEnded"/>.
    /// </summary>
    public OrderServiceInstance? PickRoutable()
    {
        lock (gate)
        {
            var routable = current.Where(i => i.IsReady && !i.IsDraining).ToList();
            if (routable.Count == 0)
            {
                return null;
            }

            var pick = routable[0];
            if (routable.Count > 1)
            {
                var first = Random.Shared.Next(routable.Count);
                var second = Random.Shared.Next(routable.Count - 1);
                if (second >= first)
                {
                    second++;
                }

                var (one, other) = (routable[first], routable[second]);
                pick = one.InFlight > other.InFlight || (one.InFlight == other.InFlight && Random.Shared.Next(2) == 0) ? other : one;
            }

            pick.RequestStarted();
            return pick;
        }
    }

    public void ScaleTo(int replicas, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        int from;
        lock (gate)
        {
            from = desired;
            desired = replicas;
            while (current.Count < replicas)
            {
                var instance = OrderServiceInstance.Start(all.Count + 1, serviceDll, freePort(), onOrder, probeClient);
                current.Add(instance);
                all.Add(instance);
                watchers.Add(WatchAsync(instance));
            }

            while (current.Count > replicas)
            {
                var victim = current.OrderBy(i => i.IsReady).ThenByDescending(i => i.Number).First();
                current.Remove(victim);
                victim.Drain();
                stopping.Add(DrainAndStopAsync(victim));
            }
        }

        timeline.Scaled(ScaledComponent.OrderService, from, replicas, reason);
        OnChange();
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            // The run is over: stop what is left without recording it as scaling.
            foreach (var instance in current)
            {
                instance.Drain();
                stopping.Add(instance.StopAsync(StopGrace));
            }

            current.Clear();
            pending = [.. stopping, .. watchers];
        }

        await Task.WhenAll(pending);
        foreach (var instance in All)
        {
            await instance.DisposeAsync();
        }

        probeClient.Dispose();
    }

    /// <summary>Routing changes when the instance becomes ready and when it exits.</summary>
    private async Task WatchAsync(OrderServiceInstance instance)
    {
        await Task.WhenAny(instance.Ready, instance.Exited);
        OnChange();
        await instance.Exited;
        OnChange();
    }

    /// <summary>The endpoints drop the instance first; once the front has no request left on it, SIGTERM.</summary>
    private async Task DrainAndStopAsync(OrderServiceInstance victim)
    {
        OnChange();
        var deadline = DateTimeOffset.UtcNow + StopGrace;
        while (victim.InFlight > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        await victim.StopAsync(StopGrace);
        OnChange();
    }

    private void OnChange()
    {
        TaskCompletionSource previous;
        int ready;
        lock (gate)
        {
            previous = changed;
            changed = NewSignal();
            ready = current.Count(i => i.IsReady);
        }

        timeline.ReadyChanged(ScaledComponent.OrderService, ready);
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
