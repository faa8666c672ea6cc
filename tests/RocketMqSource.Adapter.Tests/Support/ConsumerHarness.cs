using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Operations;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The adapter's message path over a <see cref="PopMessageSource"/> delivering to a real loopback
/// sink. With a <see cref="ManualClock"/> that controls timers, backoffs, timeouts, renewals, the
/// grace period and invisibility move only when the test advances the clock (acks then go out
/// without lingering, so they need no clock).
/// </summary>
internal sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly RunningPipeline pipeline;

    private ConsumerHarness(PopMessageSource source, AdapterOptions options, ConsumeOptions consume, TimeProvider clock, HttpClient? sinkClient)
    {
        Source = source;
        pipeline = new RunningPipeline(options, consume, source, clock, sinkClient);
    }

    public PopMessageSource Source { get; }

    public RecordedMetrics Metrics => pipeline.Metrics;

    public ReadinessState Readiness => pipeline.Readiness;

    public bool Stopped => pipeline.Stopped;

    /// <param name="sinkClient">The HTTP client to the sinks, when a test puts a fault between them (the network is a real boundary).</param>
    public static ConsumerHarness Start(PopMessageSource source, Uri sink, (string Name, string? Value)[] env, ManualClock? clock = null, HttpClient? sinkClient = null)
    {
        // Attempts bounded to 5s so they stay clear of a busy machine's first-connection delays.
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), ("K_SINK_TIMEOUT", "5"), .. env]));
        // Below ROCKETMQ_HANDBACK_DELAY's 1s minimum, so redeliveries come quickly on the system clock.
        var consume = ConsumeOptions.From(options) with { HandBackDelay = TimeSpan.FromMilliseconds(100) };
        return new ConsumerHarness(source, options, clock is null ? consume : consume with { AckLinger = TimeSpan.Zero }, clock ?? TimeProvider.System, sinkClient);
    }

    /// <summary>Stops receiving; completes when the loop has drained (or abandoned) and returned.</summary>
    public Task StopAsync() => pipeline.StopAsync();

    public ValueTask DisposeAsync() => pipeline.DisposeAsync();
}
