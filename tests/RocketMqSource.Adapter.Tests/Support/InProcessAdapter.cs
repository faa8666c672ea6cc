using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The adapter's production message path (SimpleConsumer source, converter, scheduler, dispatcher,
/// acks) in-process against an emulator, configured from environment variables like the
/// executable. Tests shorten the await duration to 1 s and the invisible duration to 8 s.
/// </summary>
internal sealed class InProcessAdapter : IAsyncDisposable
{
    private readonly RunningPipeline pipeline;

    private InProcessAdapter(AdapterOptions options, Func<ConsumeOptions, ConsumeOptions> tune)
    {
        Source = new RecordingSource(new SimpleConsumerSource(options.RocketMq, NullLogger<SimpleConsumerSource>.Instance));
        var consume = tune(ConsumeOptions.From(options) with { HandBackDelay = TimeSpan.FromMilliseconds(100) });
        pipeline = new RunningPipeline(options, consume, Source, TimeProvider.System);
    }

    public RecordingSource Source { get; }

    public RecordedMetrics Metrics => pipeline.Metrics;

    public ReadinessState Readiness => pipeline.Readiness;

    public static InProcessAdapter Start(EmulatedRocketMq rocketMq, Uri sink, string topic, string group, (string Name, string? Value)[]? env = null, Func<ConsumeOptions, ConsumeOptions>? tune = null)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.AbsoluteUri), ("ROCKETMQ_ENDPOINTS", rocketMq.Endpoint), ("ROCKETMQ_TOPIC", topic), ("ROCKETMQ_CONSUMER_GROUP", group),
            ("NAMESPACE", "shop"), ("NAME", "orders-source"), ("K_BACKOFF_DELAY", "10ms"), ("K_SINK_TIMEOUT", "5"), ("ROCKETMQ_INVISIBLE_DURATION", "10s"),
            .. env ?? []]));
        options = options with { RocketMq = options.RocketMq with { AwaitDuration = TimeSpan.FromSeconds(1) } };
        return new InProcessAdapter(options, tune ?? (c => c));
    }

    public Task StopAsync() => pipeline.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await pipeline.DisposeAsync();
        await Source.DisposeAsync();
    }
}
