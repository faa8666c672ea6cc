using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Support.Otlp;

/// <summary>An OTLP/HTTP (protobuf) trace receiver on loopback: what a collector's otlp receiver does at /v1/traces, minus the collector.</summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpTraceReceiver(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    /// <summary>The full URL to export to (OTLP/HTTP exporters are given the signal's path).</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<Span> Spans { get; } = new();

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var app = LoopbackApp.Build();
        OtlpTraceReceiver? receiver = null;
        app.MapPost("/v1/traces", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
            foreach (var span in request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
            {
                receiver!.Spans.Enqueue(span);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver = new OtlpTraceReceiver(app, new Uri(LoopbackApp.Address(app), "/v1/traces"));
        return receiver;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
