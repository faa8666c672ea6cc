using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Events;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// Runs the controller: with leader election (the official client's LeaderElector on a
/// coordination.k8s.io Lease), only the replica holding the Lease reconciles, a fresh
/// <see cref="SourceController"/> per term; without it, this replica always does.
/// </summary>
internal sealed partial class ControllerRuntime(IKubernetes client, ControllerOptions options, ILogger logger, ControllerLogLevel logLevel)
{
    private readonly Lock gate = new();
    private CancellationTokenSource? term;
    private Task currentTerm = Task.CompletedTask;
    private volatile bool leading;

    public ControllerMetrics Metrics { get; } = new();

    public bool IsLeader => leading;

    public string Identity => options.PodName;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var events = new EventRecorder(client, "rocketmqsource-controller", options.PodName);
        events.Error += e => LogEventFailed(e is HttpOperationException api ? api.Describe() : e.Message);
        Metrics.IsLeader = () => leading;
        if (!options.LeaderElectionEnabled)
        {
            StartTerm(events, cancellationToken);
            await currentTerm.ConfigureAwait(false);
            return;
        }

        var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, options.SystemNamespace, options.LeaseName, options.PodName))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        elector.OnStartedLeading += () => StartTerm(events, cancellationToken);
        elector.OnStoppedLeading += StopTerm;
        elector.OnError += e => LogLeaseFailed(e is HttpOperationException api ? api.Describe() : e.Message);
        await CampaignAsync(elector, cancellationToken).ConfigureAwait(false);
        StopTerm();
        Task last;
        lock (gate)
        {
            last = currentTerm;
        }

        await last.ConfigureAwait(false);
        await ReleaseLeaseAsync().ConfigureAwait(false);
    }

    /// <summary>Campaigns, leads until the lease is lost, campaigns again; until shutdown.</summary>
    private async Task CampaignAsync(LeaderElector elector, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or TimeoutException or OperationCanceledException)
            {
                // The elector lets an unreachable API server escape while acquiring: try again later.
                LogLeaseFailed(e.Message);
                try
                {
                    await Task.Delay(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// On shutdown, give the Lease up (holder "") so a standby takes over at once instead of
    /// waiting out the lease, as client-go's ReleaseOnCancel does; the official elector has no such
    /// option. Best effort: if this fails the lease simply expires.
    /// </summary>
    private async Task ReleaseLeaseAsync()
    {
        using var timeout = new CancellationTokenSource(options.RenewDeadline);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.SystemNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != options.PodName)
            {
                return;
            }

            // AcquireTime and RenewTime stay set: the official elector only takes over a record that has both.
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.SystemNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            LogReleased(options.PodName);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            LogLeaseFailed(e.Message);
        }
    }

    private void StartTerm(EventRecorder events, CancellationToken stopping)
    {
        lock (gate)
        {
            var previous = currentTerm;
            term = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var token = term.Token;
            leading = true;
            LogLeading(options.PodName);
            var controller = new SourceController(client, options, Metrics, events, logger, logLevel);
            // A new term starts only after the previous one has fully stopped.
            currentTerm = previous.ContinueWith(_ => controller.RunAsync(token), TaskScheduler.Default).Unwrap();
        }
    }

    private void StopTerm()
    {
        lock (gate)
        {
            if (term is null)
            {
                return;
            }

            leading = false;
            // Not disposed: the stopping term's informers still hold its (cancelled) token.
            term.Cancel();
            term = null;
            LogStoppedLeading(options.PodName);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is the leader: reconciling RocketMQSources")]
    private partial void LogLeading(string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} stopped leading: reconciling paused")]
    private partial void LogStoppedLeading(string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released the leader Lease")]
    private partial void LogReleased(string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "leader election: {Reason}")]
    private partial void LogLeaseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record a Kubernetes Event: {Reason}")]
    private partial void LogEventFailed(string reason);
}
