using Microsoft.Extensions.Logging;
using RocketMqSource.Controller.Queue;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// Runs the controller: with leader election, only the replica holding the Lease reconciles
/// (a fresh <see cref="SourceController"/> per term); without it, this replica always does.
/// </summary>
internal sealed partial class ControllerRuntime(IKubernetes client, ControllerOptions options, ILogger logger, WorkQueueOptions? queueOptions = null)
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
        events.Error += e => LogEventFailed(e.Message);
        Metrics.IsLeader = () => leading;
        if (!options.LeaderElectionEnabled)
        {
            StartTerm(events, cancellationToken);
            await currentTerm.ConfigureAwait(false);
            return;
        }

        var elector = new LeaderElector(client, new LeaderElectionConfig(options.LeaseName, options.SystemNamespace, options.PodName)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        elector.OnStartedLeading += () => StartTerm(events, cancellationToken);
        elector.OnStoppedLeading += StopTerm;
        await elector.RunAsync(cancellationToken).ConfigureAwait(false);
        StopTerm();
        Task last;
        lock (gate)
        {
            last = currentTerm;
        }

        await last.ConfigureAwait(false);
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
            var controller = new SourceController(client, options, Metrics, events, logger, queueOptions);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record a Kubernetes Event: {Reason}")]
    private partial void LogEventFailed(string reason);
}
