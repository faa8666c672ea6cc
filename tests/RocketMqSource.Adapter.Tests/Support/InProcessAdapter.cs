using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The adapter's production pipeline (SimpleConsumer source, CloudEvents converter, dispatcher,
/// scheduler, acks) in-process against an emulator, configured from environment variables like the
/// executable. Tests shorten the await duration to 1 s and the invisible duration to 8 s.
/// </summary>
internal sealed class InProcessAdapter : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient client;
    private readonly Task running;

    private InProcessAdapter(AdapterOptions options, Func<ConsumeOptions, ConsumeOptions> tune)
    {
        client = SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight);
        Source = new RecordingSource(AdapterSeams.Built.MessageSourceFactory(options, NullLoggerFactory.Instance));
        var consume = tune(ConsumeOptions.From(options) with { HandBackDelay = TimeSpan.FromMilliseconds(100) });
        var loop = ConsumerPipeline.Create(options, Source, AdapterSeams.Built.ConverterFactory(options), client, Metrics, Readiness,
            NullLoggerFactory.Instance, TimeProvider.System, consume);
        running = Task.Run(() => loop.RunAsync(stop.Token));
    }

    public RecordingSource Source { get; }

    public AdapterMetrics Metrics { get; } = new();

    public ReadinessState Readiness { get; } = new();

    public static InProcessAdapter Start(EmulatedRocketMq rocketMq, Uri sink, string topic, string group, (string Name, string? Value)[]? env = null, Func<ConsumeOptions, ConsumeOptions>? tune = null)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.AbsoluteUri), ("ROCKETMQ_ENDPOINTS", rocketMq.Endpoint), ("ROCKETMQ_TOPIC", topic), ("ROCKETMQ_CONSUMER_GROUP", group),
            ("NAMESPACE", "shop"), ("NAME", "orders-source"), ("K_BACKOFF_DELAY", "10ms"), ("K_SINK_TIMEOUT", "5"), ("ROCKETMQ_INVISIBLE_DURATION", "10s"),
            .. env ?? []]));
        options = options with { RocketMq = options.RocketMq with { AwaitDuration = TimeSpan.FromSeconds(1) } };
        return new InProcessAdapter(options, tune ?? (c => c));
    }

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

        await Source.DisposeAsync();
        client.Dispose();
        stop.Dispose();
    }
}
