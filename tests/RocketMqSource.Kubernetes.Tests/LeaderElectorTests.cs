using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class LeaderElectorTests : IAsyncLifetime
{
    private ApiServerFixture api = null!;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task OnlyOneLeadsAndTheOtherTakesOverAfterTheLeaseExpires()
    {
        var leaders = 0;
        var maxLeaders = 0;
        var startedBy = new List<string>();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        // A crashes without releasing: B has to wait out the lease.
        var a = Candidate("a", releaseOnCancel: false, leaseSeconds: 2);
        var b = Candidate("b", releaseOnCancel: false, leaseSeconds: 2);
        foreach (var (elector, name) in new[] { (a, "a"), (b, "b") })
        {
            elector.OnStartedLeading += () =>
            {
                lock (startedBy)
                {
                    startedBy.Add(name);
                    maxLeaders = Math.Max(maxLeaders, ++leaders);
                }
            };
            elector.OnStoppedLeading += () =>
            {
                lock (startedBy)
                {
                    leaders--;
                }
            };
        }

        var runA = a.RunAsync(stopA.Token);
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.TrueAsync(() => api.Server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/leases/controller", StringComparison.Ordinal)) >= 8, "b has been campaigning while a renews");
        Assert.False(b.IsLeader);

        await stopA.CancelAsync();
        await runA;
        await Eventually.TrueAsync(() => b.IsLeader, "b takes over after expiry");

        var lease = await api.Client.GetAsync<V1Lease>(ResourceType.Leases, "controller", "ns");
        Assert.Equal("b", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(2, lease.Spec.LeaseDurationSeconds);
        Assert.Equal(["a", "b"], startedBy);
        Assert.Equal(1, maxLeaders);

        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task ReleaseOnShutdownHandsOverWithoutWaitingAndNotifiesFollowers()
    {
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = Candidate("a", releaseOnCancel: true, leaseSeconds: 30);
        var b = Candidate("b", releaseOnCancel: true, leaseSeconds: 30);
        var stoppedA = 0;
        a.OnStoppedLeading += () => Interlocked.Increment(ref stoppedA);
        string? leaderSeenByB = null;
        b.OnNewLeader += holder => leaderSeenByB ??= holder;

        var runA = a.RunAsync(stopA.Token);
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.TrueAsync(() => leaderSeenByB == "a", "b sees a");

        await stopA.CancelAsync();
        await runA;
        Assert.Equal(1, stoppedA);
        var released = await api.Client.GetAsync<V1Lease>(ResourceType.Leases, "controller", "ns");
        // b may already have taken it; either way a no longer holds it.
        Assert.NotEqual("a", released.Spec!.HolderIdentity);

        // With a 30 s lease, b can only lead within this test's timeout because a released it.
        await Eventually.TrueAsync(() => b.IsLeader, "b acquires the released lease", timeoutSeconds: 15);
        await stopB.CancelAsync();
        await runB;
    }

    private LeaderElector Candidate(string identity, bool releaseOnCancel, int leaseSeconds) =>
        new(api.Client, new LeaderElectionConfig("controller", "ns", identity)
        {
            LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
            RenewDeadline = TimeSpan.FromSeconds(leaseSeconds * 0.6),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
            ReleaseOnCancel = releaseOnCancel,
        });
}
