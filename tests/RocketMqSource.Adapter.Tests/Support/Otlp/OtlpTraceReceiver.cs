using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
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
        var address = new Uri(app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        receiver = new OtlpTraceReceiver(app, new Uri(address, "/v1/traces"));
        return receiver;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
