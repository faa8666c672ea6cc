using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The adapter's consume pipeline running in the background over a given source and converter,
/// with its own sink client, metrics and readiness; stopping drains (or abandons) like SIGTERM.
/// </summary>
internal sealed class RunningPipeline : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient client;
    private readonly Task running;

    public RunningPipeline(AdapterOptions options, IMessageSource source, IMessageConverter converter, ConsumeOptions consume)
    {
        client = SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight);
        var loop = ConsumerPipeline.Create(options, source, converter, client, Metrics, Readiness, NullLoggerFactory.Instance, TimeProvider.System, consume);
        running = Task.Run(() => loop.RunAsync(stop.Token));
    }

    public AdapterMetrics Metrics { get; } = new();

    public ReadinessState Readiness { get; } = new();

    public bool Stopped => running.IsCompleted;

    /// <summary>Stops receiving and waits until the loop has drained (or abandoned) and returned.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!running.IsCompleted)
        {
            await StopAsync();
        }

        client.Dispose();
        stop.Dispose();
    }
}
