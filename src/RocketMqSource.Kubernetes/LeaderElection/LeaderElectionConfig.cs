namespace RocketMqSource.Kubernetes;

/// <summary>Settings of leader election on a coordination.k8s.io Lease.</summary>
public sealed record LeaderElectionConfig(string LeaseName, string LeaseNamespace, string Identity)
{
    /// <summary>How long followers wait, after the last renewal they saw, before taking over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader gives up when it could not renew for this long (must be below LeaseDuration).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire/renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On shutdown, clear the holder so another candidate takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
