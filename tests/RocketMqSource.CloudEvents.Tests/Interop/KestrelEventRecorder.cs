using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Testing;
using System.Text.Json;
using RocketMqSource.CloudEvents.AspNetCore;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>
/// A Kestrel endpoint on 127.0.0.1 that reads every request with our ASP.NET Core reader, the way a
/// receiving service does: 400 for an invalid CloudEvent, 202 otherwise, recording what it read.
/// </summary>
internal sealed class KestrelEventRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelEventRecorder(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}/";
    }

    public string Url { get; }

    /// <summary>What each request carried, in arrival order: the mode and the events, or the error.</summary>
    public ConcurrentQueue<(string Mode, IReadOnlyList<CloudEvent> Events, string? Error)> Received { get; } = new();

    public static async Task<KestrelEventRecorder> StartAsync(int port, CloudEventFormatter formatter, params CloudEventAttribute[] extensions)
    {
        var app = LoopbackApp.Build(port);
        var recorder = new KestrelEventRecorder(app, port);
        app.Run(async context => await recorder.HandleAsync(context, formatter, extensions));
        await app.StartAsync();
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, CloudEventFormatter formatter, CloudEventAttribute[] extensions)
    {
        var request = context.Request;
        var mode = request.IsCloudEventBatch() ? "batch"
            : request.ContentType?.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) == true ? "structured"
            : "binary";
        try
        {
            IReadOnlyList<CloudEvent> events = mode == "batch"
                ? await request.ToCloudEventBatchAsync(formatter, extensions)
                : [await request.ToCloudEventAsync(formatter, extensions)];
            Received.Enqueue((mode, events, null));
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            Received.Enqueue((mode, [], e.Message));
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message);
        }
    }
}
