using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.LeaderElection;

internal enum LeaseAction
{
    /// <summary>No Lease exists: create one holding it.</summary>
    Create,

    /// <summary>Take the lease over from an expired or absent holder (a transition).</summary>
    Acquire,

    /// <summary>We hold it: refresh renewTime.</summary>
    Renew,

    /// <summary>Someone else holds a live lease: wait.</summary>
    Follow,
}

/// <summary>
/// Leader-election decisions, free of I/O and clocks. Expiry is judged by the local time
/// at which this candidate last saw the lease record change, not by the holder's
/// renewTime, so clock skew between machines does not matter.
/// </summary>
internal static class LeaseDecisions
{
    public static LeaseAction Decide(V1LeaseSpec? current, string identity, DateTimeOffset observedAt, DateTimeOffset now, TimeSpan defaultDuration)
    {
        if (current is null)
        {
            return LeaseAction.Create;
        }

        if (current.HolderIdentity == identity)
        {
            return LeaseAction.Renew;
        }

        if (string.IsNullOrEmpty(current.HolderIdentity))
        {
            return LeaseAction.Acquire;
        }

        var duration = current.LeaseDurationSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : defaultDuration;
        return now >= observedAt + duration ? LeaseAction.Acquire : LeaseAction.Follow;
    }

    /// <summary>The spec to write for a Create, Acquire or Renew decision.</summary>
    public static V1LeaseSpec Next(LeaseAction action, V1LeaseSpec? current, string identity, DateTimeOffset now, TimeSpan duration)
    {
        var durationSeconds = (int)Math.Ceiling(duration.TotalSeconds);
        return action switch
        {
            LeaseAction.Create => new V1LeaseSpec
            {
                HolderIdentity = identity,
                LeaseDurationSeconds = durationSeconds,
                AcquireTime = now,
                RenewTime = now,
                LeaseTransitions = 0,
            },
            LeaseAction.Acquire => new V1LeaseSpec
            {
                HolderIdentity = identity,
                LeaseDurationSeconds = durationSeconds,
                AcquireTime = now,
                RenewTime = now,
                LeaseTransitions = (current?.LeaseTransitions ?? 0) + 1,
            },
            LeaseAction.Renew => new V1LeaseSpec
            {
                HolderIdentity = identity,
                LeaseDurationSeconds = durationSeconds,
                AcquireTime = current?.AcquireTime ?? now,
                RenewTime = now,
                LeaseTransitions = current?.LeaseTransitions ?? 0,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "followers do not write the lease"),
        };
    }

    /// <summary>The spec a leader writes when it steps down: no holder, so others acquire at once.</summary>
    public static V1LeaseSpec Released(V1LeaseSpec current, DateTimeOffset now) => new()
    {
        HolderIdentity = null,
        LeaseDurationSeconds = 1,
        AcquireTime = current.AcquireTime,
        RenewTime = now,
        LeaseTransitions = current.LeaseTransitions,
    };

    /// <summary>Whether two reads show the same record (a renewal changes renewTime).</summary>
    public static bool SameRecord(V1LeaseSpec? a, V1LeaseSpec? b) =>
        a?.HolderIdentity == b?.HolderIdentity && a?.RenewTime == b?.RenewTime && a?.LeaseTransitions == b?.LeaseTransitions;
}
