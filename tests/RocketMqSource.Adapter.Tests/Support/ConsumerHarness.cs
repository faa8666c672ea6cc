using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>A running consume loop over a <see cref="PopMessageSource"/> delivering to a real loopback sink.</summary>
internal sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly RunningPipeline pipeline;

    private ConsumerHarness(PopMessageSource source, AdapterOptions options, Func<ConsumeOptions, ConsumeOptions> tune)
    {
        Source = source;
        var consume = tune(ConsumeOptions.From(options) with { InvisibleDuration = TimeSpan.FromSeconds(8), HandBackDelay = TimeSpan.FromMilliseconds(100) });
        pipeline = new RunningPipeline(options, source, new TestConverter(), consume);
    }

    public PopMessageSource Source { get; }

    public AdapterMetrics Metrics => pipeline.Metrics;

    public ReadinessState Readiness => pipeline.Readiness;

    public bool Stopped => pipeline.Stopped;

    public static ConsumerHarness Start(PopMessageSource source, Uri sink, (string Name, string? Value)[] env, Func<ConsumeOptions, ConsumeOptions>? tune = null)
    {
        // Attempts bounded to 5s: with the 2s safety margin they fit the 8s invisible duration, and
        // stay clear of a busy machine's first-connection delays.
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), ("K_SINK_TIMEOUT", "5"), .. env]));
        return new ConsumerHarness(source, options, tune ?? (c => c));
    }

    /// <summary>Stops receiving and waits until the loop has drained (or abandoned) and returned.</summary>
    public Task StopAsync() => pipeline.StopAsync();

    public ValueTask DisposeAsync() => pipeline.DisposeAsync();
}
