using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The adapter's real message path (loop, scheduler, converter, dispatcher, acks) running in the
/// background over a given message source and clock, with its own sink client, metrics and
/// readiness; stopping drains (or abandons) like SIGTERM.
/// </summary>
internal sealed class RunningPipeline : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient client;
    private readonly Task running;

    public RunningPipeline(AdapterOptions options, ConsumeOptions consume, IMessageSource source, TimeProvider clock, HttpClient? sinkClient = null)
    {
        client = sinkClient ?? SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight);
        Telemetry = new AdapterTelemetry(options.RocketMq.Topic, options.RocketMq.ConsumerGroup);
        Metrics = new RecordedMetrics(Telemetry.Meter);
        var loop = ConsumerPipeline.Create(options, consume, source, client, Telemetry, Readiness, NullLoggerFactory.Instance, clock);
        running = Task.Run(() => loop.RunAsync(stop.Token));
    }

    public AdapterTelemetry Telemetry { get; }

    public RecordedMetrics Metrics { get; }

    public ReadinessState Readiness { get; } = new();

    public bool Stopped => running.IsCompleted;

    /// <summary>Stops receiving; completes when the loop has drained (or abandoned) and returned.</summary>
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
        Metrics.Dispose();
        Telemetry.Dispose();
    }
}
