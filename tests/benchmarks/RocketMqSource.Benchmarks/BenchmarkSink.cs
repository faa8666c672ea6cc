using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// The minimal Knative sink: Kestrel on loopback, HTTP/1.1, answers 202 to every POST after reading
/// the body, and hands the ce-id and the producer's timestamp (extension
/// <see cref="ProducedAtExtension"/>) to the current phase's <see cref="SinkRecorder"/>.
/// </summary>
internal sealed class BenchmarkSink : IAsyncDisposable
{
    /// <summary>User property the producer sets; the adapter forwards it as extension rocketmqprop + name.</summary>
    public const string ProducedAtProperty = "producedat";

    public const string ProducedAtExtension = "rocketmqprop" + ProducedAtProperty;

    private const string ProducedAtHeader = "ce-" + ProducedAtExtension;

    private readonly WebApplication _app;
    private SinkRecorder _recorder = new(trackIds: false, trackLatency: false);

    private BenchmarkSink(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    public static async Task<BenchmarkSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new BenchmarkSink(app);
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.Uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return sink;
    }

    /// <summary>Starts a new phase: later requests are recorded by the returned recorder only.</summary>
    public SinkRecorder BeginPhase(bool trackIds, bool trackLatency)
    {
        var recorder = new SinkRecorder(trackIds, trackLatency);
        Volatile.Write(ref _recorder, recorder);
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync();
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        var headers = http.Request.Headers;
        long? producedAt = headers.TryGetValue(ProducedAtHeader, out var stamp)
            && long.TryParse(stamp.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        Volatile.Read(ref _recorder).Record(headers["ce-id"].ToString(), producedAt);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
