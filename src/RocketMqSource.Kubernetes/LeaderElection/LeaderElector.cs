using RocketMqSource.Kubernetes.LeaderElection;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease. <see cref="RunAsync"/> campaigns until
/// cancelled: it acquires the lease when free or expired, renews it while leading, steps
/// down when renewal fails for RenewDeadline, and releases it on cancellation.
/// </summary>
public sealed class LeaderElector
{
    private readonly IKubernetes client;
    private readonly LeaderElectionConfig config;
    private V1LeaseSpec? observedRecord;
    private DateTimeOffset observedAt;
    private volatile bool isLeader;

    public LeaderElector(IKubernetes client, LeaderElectionConfig config)
    {
        if (config.RenewDeadline >= config.LeaseDuration)
        {
            throw new ArgumentException("RenewDeadline must be shorter than LeaseDuration", nameof(config));
        }

        this.client = client;
        this.config = config;
    }

    /// <summary>This candidate became leader.</summary>
    public event Action? OnStartedLeading;

    /// <summary>This candidate stopped leading (lost the lease, or shut down).</summary>
    public event Action? OnStoppedLeading;

    /// <summary>A different holder was observed (its identity).</summary>
    public event Action<string>? OnNewLeader;

    public bool IsLeader => isLeader;

    internal TimeProvider Time { get; init; } = TimeProvider.System;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await TryCampaignAsync(cancellationToken).ConfigureAwait(false))
                {
                    SetLeader(true);
                    await LeadAsync(cancellationToken).ConfigureAwait(false);
                    SetLeader(false);
                }
                else
                {
                    await Task.Delay(config.RetryPeriod, Time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            if (isLeader)
            {
                if (config.ReleaseOnCancel)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }

                SetLeader(false);
            }
        }
    }

    /// <summary>Renews every RetryPeriod; returns when renewal failed for longer than RenewDeadline.</summary>
    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var lastRenew = Time.GetUtcNow();
        while (true)
        {
            await Task.Delay(config.RetryPeriod, Time, cancellationToken).ConfigureAwait(false);
            var renewed = await TryCampaignAsync(cancellationToken).ConfigureAwait(false);

            var now = Time.GetUtcNow();
            if (renewed)
            {
                lastRenew = now;
            }
            else if (observedRecord?.HolderIdentity is { Length: > 0 } holder && holder != config.Identity)
            {
                return;
            }
            else if (now - lastRenew >= config.RenewDeadline)
            {
                return;
            }
        }
    }

    private async Task<bool> TryCampaignAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The API server is unreachable, slow or refused: try again after RetryPeriod.
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        V1Lease? lease;
        try
        {
            lease = await client.GetAsync<V1Lease>(ResourceType.Leases, config.LeaseName, config.LeaseNamespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            lease = null;
        }

        var now = Time.GetUtcNow();
        if (lease is not null && !LeaseDecisions.SameRecord(observedRecord, lease.Spec))
        {
            Observe(lease.Spec, now);
        }

        var action = LeaseDecisions.Decide(lease?.Spec, config.Identity, observedAt, now, config.LeaseDuration);
        if (action == LeaseAction.Follow)
        {
            return false;
        }

        var spec = LeaseDecisions.Next(action, lease?.Spec, config.Identity, now, config.LeaseDuration);
        try
        {
            if (lease is null)
            {
                var created = new V1Lease { Metadata = new V1ObjectMeta { Name = config.LeaseName, Namespace = config.LeaseNamespace }, Spec = spec };
                await client.CreateAsync(ResourceType.Leases, created, config.LeaseNamespace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                lease.Spec = spec;
                await client.ReplaceAsync(ResourceType.Leases, lease, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            // Another candidate wrote first; the next read shows who.
            return false;
        }

        Observe(spec, now);
        return true;
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(config.RenewDeadline);
        try
        {
            var lease = await client.GetAsync<V1Lease>(ResourceType.Leases, config.LeaseName, config.LeaseNamespace, timeout.Token).ConfigureAwait(false);
            if (lease.Spec is { } spec && spec.HolderIdentity == config.Identity)
            {
                lease.Spec = LeaseDecisions.Released(spec, Time.GetUtcNow());
                await client.ReplaceAsync(ResourceType.Leases, lease, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            // Best effort: if release fails the lease simply expires.
        }
    }

    private void Observe(V1LeaseSpec? record, DateTimeOffset now)
    {
        var previousHolder = observedRecord?.HolderIdentity;
        observedRecord = record;
        observedAt = now;
        if (record?.HolderIdentity is { Length: > 0 } holder && holder != previousHolder)
        {
            OnNewLeader?.Invoke(holder);
        }
    }

    private void SetLeader(bool leading)
    {
        if (isLeader == leading)
        {
            return;
        }

        isLeader = leading;
        (leading ? OnStartedLeading : OnStoppedLeading)?.Invoke();
    }
}
