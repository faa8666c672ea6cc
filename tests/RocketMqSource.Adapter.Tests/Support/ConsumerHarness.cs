using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>A running consume loop over a <see cref="PopMessageSource"/> delivering to a real loopback sink.</summary>
internal sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient client;
    private readonly Task running;

    private ConsumerHarness(PopMessageSource source, AdapterOptions options, Func<ConsumeOptions, ConsumeOptions> tune)
    {
        Source = source;
        client = SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight);
        var consume = tune(ConsumeOptions.From(options) with { InvisibleDuration = TimeSpan.FromSeconds(8), HandBackDelay = TimeSpan.FromMilliseconds(100) });
        var loop = ConsumerPipeline.Create(options, source, new TestConverter(), client, Metrics, Readiness, NullLoggerFactory.Instance, TimeProvider.System, consume);
        running = Task.Run(() => loop.RunAsync(stop.Token));
    }

    public PopMessageSource Source { get; }

    public AdapterMetrics Metrics { get; } = new();

    public ReadinessState Readiness { get; } = new();

    public bool Stopped => running.IsCompleted;

    public static ConsumerHarness Start(PopMessageSource source, Uri sink, (string Name, string? Value)[] env, Func<ConsumeOptions, ConsumeOptions>? tune = null)
    {
        // Attempts bounded to 5s: with the 2s safety margin they fit the 8s invisible duration, and
        // stay clear of a busy machine's first-connection delays.
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), ("K_SINK_TIMEOUT", "5"), .. env]));
        return new ConsumerHarness(source, options, tune ?? (c => c));
    }

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
