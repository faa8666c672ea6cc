using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FoodDelivery.LocalRun;
using FoodDelivery.LocalRun.Processes;
using FoodDelivery.LocalRun.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>
/// Scale-in in the middle of the stream, with real adapter processes: the local run's adapter
/// fleet takes its newest replica away with SIGTERM while that replica holds deliveries the sink
/// has not answered. It stops receiving, finishes them, acks, exits 0 — and nothing is lost.
/// </summary>
public sealed class AdapterScaleInTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_adapter_stopped_by_scale_in_mid_stream_loses_nothing()
    {
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" });
        await using var sink = await GatedSink.StartAsync();
        var options = new LocalRunOptions();
        var healthPorts = new ConcurrentDictionary<int, int>();
        var adapterDll = ProgramLocator.Adapter.Find(AppContext.BaseDirectory)!;
        await using var fleet = new AdapterFleet(adapterDll, number =>
        {
            var (health, metrics) = (LoopbackPort.GetFree(), LoopbackPort.GetFree());
            healthPorts[number] = health;
            return (AdapterEnvironment.For(options, emulator.Endpoint, sink.Address, health, metrics), metrics);
        }, new ScalingTimeline(), TextWriter.Null, verbose: false);

        fleet.ScaleTo(2, "test");
        foreach (var adapter in fleet.Current)
        {
            Assert.True(await adapter.WaitUntilConsumingAsync(Generous, CancellationToken.None), string.Join('\n', adapter.RecentOutput));
        }

        // More than two replicas can hold (64 each): the newest holds its share whatever the split.
        var sent = new List<string>(Send(emulator, 200));
        var leaving = fleet.Current.Single(a => a.Number == 2);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.WaitAsync(() => InFlight(http, leaving) > 0, "adapter 2 holding deliveries the sink has not answered", Generous);

        // Scale-in: the newest replica goes, with deliveries in flight.
        fleet.ScaleTo(1, "test");
        Assert.True(leaving.StopRequested);
        await Eventually.WaitAsync(() => NotReady(http, healthPorts[2]), "adapter 2 draining (readiness failing after SIGTERM)", Generous);
        Assert.False(leaving.HasExited);

        // What comes after the SIGTERM is the remaining replica's.
        sent.AddRange(Send(emulator, 20));
        sink.Open();

        await leaving.Exited.WaitAsync(Generous);
        Assert.Equal(0, leaving.ExitCode);
        await Eventually.WaitAsync(() => sent.All(sink.Received.ContainsKey), "every message at the sink", Generous);
        await Eventually.WaitAsync(() => emulator.GetGroupStats(options.ConsumerGroup, options.Topic) is { Backlog: 0, InFlight: 0 }, "every message acked", Generous);
        Assert.Equal(sent.Count, emulator.GetGroupStats(options.ConsumerGroup, options.Topic).Acked);
        Assert.DoesNotContain(leaving.RecentOutput, line => line.Contains("abandoning", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Send(RocketMqEmulator emulator, int count) =>
        emulator.Send([.. Enumerable.Range(0, count).Select(i => new Message.Builder()
            .SetTopic("orders").SetTag("PAID").SetBody(System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")).Build())]);

    /// <summary>The adapter's own gauge of messages it holds and has not settled.</summary>
    private static long InFlight(HttpClient http, AdapterChildProcess adapter)
    {
        var text = http.GetStringAsync(new Uri($"http://127.0.0.1:{adapter.MetricsPort.ToString(CultureInfo.InvariantCulture)}/metrics")).GetAwaiter().GetResult();
        return (long)PrometheusText.Sum(text, "rocketmqsource_messages_in_flight");
    }

    private static bool NotReady(HttpClient http, int healthPort)
    {
        try
        {
            using var response = http.GetAsync(new Uri($"http://127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}/readiness")).GetAwaiter().GetResult();
            return response.StatusCode != HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

    /// <summary>A sink that holds every request until <see cref="Open"/>, then accepts; it records each message id (ce-id) it answered.</summary>
    private sealed class GatedSink : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private GatedSink(WebApplication app) => this.app = app;

        public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

        public Uri Address { get; private set; } = null!;

        public static async Task<GatedSink> StartAsync()
        {
            var app = LoopbackApp.Build();
            var sink = new GatedSink(app);
            app.MapPost("/", async (HttpContext context) =>
            {
                await sink.gate.Task.WaitAsync(context.RequestAborted);
                sink.Received.AddOrUpdate(context.Request.Headers["ce-id"].ToString(), 1, (_, n) => n + 1);
                return Results.Ok();
            });
            await app.StartAsync();
            sink.Address = new Uri(LoopbackApp.Address(app), "/");
            return sink;
        }

        public void Open() => gate.TrySetResult();

        public async ValueTask DisposeAsync()
        {
            Open();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
