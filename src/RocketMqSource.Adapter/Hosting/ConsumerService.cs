using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>
/// Runs the consume loop for the host's lifetime; on SIGTERM turns unready and drains. Should the
/// loop ever fail, the process stops with a non-zero exit code rather than idling while live.
/// </summary>
internal sealed partial class ConsumerService(
    ConsumeLoop loop,
    IMessageSource source,
    ReadinessState readiness,
    AdapterOptions options,
    TerminationMessage termination,
    IHostApplicationLifetime lifetime,
    ILogger<ConsumerService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // One line, each setting once as a field; credentials only as present/absent.
        logger.Log(LogLevel.Information, new EventId(1, "Starting"), StartupFields.Of(options), null, static (_, _) => "starting receive adapter");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The loop runs once every hosted service has started, Kestrel included: "consuming" (which
    /// may come at once, the connection having opened while the host was built) then finds the
    /// probe and metrics ports listening.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.StopRequested();
        await stopping.CancelAsync();
        if (running is not null)
        {
            // The loop bounds its own drain by SHUTDOWN_GRACE_PERIOD.
            await running.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Dispose();
        await source.DisposeAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await loop.RunAsync(stopping.Token);
        }
        catch (Exception e)
        {
            LogCrashed(e);
            termination.Write($"the consume loop failed: {e.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "the consume loop failed; stopping the adapter")]
    private partial void LogCrashed(Exception exception);
}
