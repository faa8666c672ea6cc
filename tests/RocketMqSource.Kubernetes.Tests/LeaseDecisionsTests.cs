using RocketMqSource.Kubernetes.LeaderElection;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

public class LeaseDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    [Fact]
    public void MissingLeaseIsCreated() =>
        Assert.Equal(LeaseAction.Create, LeaseDecisions.Decide(null, "a", T0, T0, Duration));

    [Fact]
    public void OwnLeaseIsRenewed() =>
        Assert.Equal(LeaseAction.Renew, LeaseDecisions.Decide(Held("a", 15), "a", T0, T0.AddHours(1), Duration));

    [Fact]
    public void ReleasedLeaseIsAcquiredAtOnce() =>
        Assert.Equal(LeaseAction.Acquire, LeaseDecisions.Decide(Held(null, 1), "b", T0, T0, Duration));

    [Fact]
    public void OthersLeaseIsRespectedUntilItsDurationPassedSinceWeSawItChange()
    {
        var lease = Held("a", 10);
        Assert.Equal(LeaseAction.Follow, LeaseDecisions.Decide(lease, "b", T0, T0.AddSeconds(9.9), Duration));
        Assert.Equal(LeaseAction.Acquire, LeaseDecisions.Decide(lease, "b", T0, T0.AddSeconds(10), Duration));
    }

    [Fact]
    public void LeaseWithoutDurationUsesOurs()
    {
        var lease = Held("a", null);
        Assert.Equal(LeaseAction.Follow, LeaseDecisions.Decide(lease, "b", T0, T0.AddSeconds(14), Duration));
        Assert.Equal(LeaseAction.Acquire, LeaseDecisions.Decide(lease, "b", T0, T0.AddSeconds(15), Duration));
    }

    [Fact]
    public void AcquireCountsATransitionRenewKeepsAcquireTime()
    {
        var current = new V1LeaseSpec { HolderIdentity = "a", LeaseTransitions = 3, AcquireTime = T0, RenewTime = T0 };

        var taken = LeaseDecisions.Next(LeaseAction.Acquire, current, "b", T0.AddSeconds(20), TimeSpan.FromSeconds(2.5));
        Assert.Equal(("b", 4, 3), (taken.HolderIdentity, taken.LeaseTransitions, taken.LeaseDurationSeconds));
        Assert.Equal(T0.AddSeconds(20), taken.AcquireTime);

        var renewed = LeaseDecisions.Next(LeaseAction.Renew, taken, "b", T0.AddSeconds(22), Duration);
        Assert.Equal((4, T0.AddSeconds(20), T0.AddSeconds(22)), (renewed.LeaseTransitions, renewed.AcquireTime, renewed.RenewTime));

        var created = LeaseDecisions.Next(LeaseAction.Create, null, "a", T0, Duration);
        Assert.Equal((0, 15), (created.LeaseTransitions, created.LeaseDurationSeconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaseDecisions.Next(LeaseAction.Follow, current, "b", T0, Duration));
    }

    [Fact]
    public void ReleaseClearsTheHolderAndShortensTheLease()
    {
        var released = LeaseDecisions.Released(new V1LeaseSpec { HolderIdentity = "a", LeaseTransitions = 2, LeaseDurationSeconds = 15 }, T0);
        Assert.Equal((null, 1, 2), (released.HolderIdentity, released.LeaseDurationSeconds, released.LeaseTransitions));
    }

    [Fact]
    public void RenewalIsANewRecord()
    {
        var first = new V1LeaseSpec { HolderIdentity = "a", RenewTime = T0, LeaseTransitions = 1 };
        var renewed = new V1LeaseSpec { HolderIdentity = "a", RenewTime = T0.AddSeconds(2), LeaseTransitions = 1 };
        Assert.True(LeaseDecisions.SameRecord(first, new V1LeaseSpec { HolderIdentity = "a", RenewTime = T0, LeaseTransitions = 1 }));
        Assert.False(LeaseDecisions.SameRecord(first, renewed));
    }

    private static V1LeaseSpec Held(string? holder, int? seconds) =>
        new() { HolderIdentity = holder, LeaseDurationSeconds = seconds, RenewTime = T0, LeaseTransitions = 1 };
}
