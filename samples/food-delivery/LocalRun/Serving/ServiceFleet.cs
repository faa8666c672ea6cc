using FoodDelivery.LocalRun.Processes;
using FoodDelivery.LocalRun.Reporting;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// The order service revision's instances, as its Deployment and endpoints would hold them. An
/// instance taken away leaves the routing at once, keeps the requests it has until they finish,
/// and is then stopped with SIGTERM (Kestrel shuts down). The activator front routes only to
/// ready instances still in the set. An instance that exits without being asked is a failure of the run.
/// </summary>
internal sealed class ServiceFleet : IAsyncDisposable
{
    /// <summary>How long an instance may take to exit after SIGTERM before it is killed (Kestrel's own shutdown timeout is 30 s).</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Lock signalGate = new();
    private readonly HttpClient probeClient = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ReplicaSet<OrderServiceInstance> replicas;
    private TaskCompletionSource changed = NewSignal();

    public ServiceFleet(string serviceDll, Action<OrderLogEntry> onOrder, ScalingTimeline timeline, Func<int> freePort)
    {
        replicas = new ReplicaSet<OrderServiceInstance>(
            ScaledComponent.OrderService,
            number => OrderServiceInstance.Start(number, serviceDll, freePort(), onOrder, probeClient),
            DrainAndStopAsync,
            timeline);
        replicas.Changed += Signal;
    }

    /// <summary>The replicas asked for (the Deployment's spec.replicas).</summary>
    public int Desired => replicas.Desired;

    /// <summary>Instances that answer and take requests.</summary>
    public int Ready => replicas.ReadyCount;

    /// <summary>Completes at the next change of what can be routed to (an instance ready, taken away or gone).</summary>
    public Task Changed
    {
        get
        {
            lock (signalGate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>Every instance the run started, in order.</summary>
    public IReadOnlyList<OrderServiceInstance> All => replicas.All;

    /// <summary>An instance that exited without being asked to, if any.</summary>
    public OrderServiceInstance? Failed => replicas.Failed;

    /// <summary>
    /// The instance for the next request, its request already counted: the less loaded of two
    /// picked at random (Knative's activator for containerConcurrency 0,
    /// pkg/activator/net/lb_policy.go randomChoice2Policy); null when none is ready. Picking and
    /// counting under the set's lock means an instance taken away never gets a request after its
    /// drain began; the caller ends it with <see cref="OrderServiceInstance.RequestEnded"/>.
    /// </summary>
    public OrderServiceInstance? PickRoutable() => replicas.Locked(current =>
    {
        var routable = current.Where(i => i.IsReady).ToList();
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
    });

    public void ScaleTo(int count, string reason) => replicas.ScaleTo(count, reason);

    public async ValueTask DisposeAsync()
    {
        await replicas.DisposeAsync();
        probeClient.Dispose();
    }

    /// <summary>Out of the routing already; once the front has no request left on it, SIGTERM.</summary>
    private static async Task DrainAndStopAsync(OrderServiceInstance victim)
    {
        var deadline = DateTimeOffset.UtcNow + StopGrace;
        while (victim.InFlight > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        await victim.StopAsync(StopGrace);
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (signalGate)
        {
            previous = changed;
            changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
