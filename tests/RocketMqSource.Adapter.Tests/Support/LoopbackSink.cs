using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>A request as the sink saw it.</summary>
internal sealed record SinkRequest(string Protocol, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : string.Empty;

    public string? EventId => Headers.GetValueOrDefault("ce-id");
}

/// <summary>What the sink answers.</summary>
internal sealed record SinkReply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static readonly SinkReply Accepted = new(202);
}

/// <summary>A real HTTP sink: Kestrel on 127.0.0.1 with an ephemeral port, recording every request.</summary>
internal sealed class LoopbackSink : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackSink(WebApplication app, Uri uri)
    {
        this.app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    public ConcurrentQueue<SinkRequest> Requests { get; } = new();

    public static Task<LoopbackSink> StartAsync(SinkReply reply) => StartAsync(_ => Task.FromResult(reply));

    public static async Task<LoopbackSink> StartAsync(
        Func<SinkRequest, Task<SinkReply>> handler,
        HttpProtocols protocols = HttpProtocols.Http1,
        X509Certificate2? certificate = null,
        int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = protocols;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        LoopbackSink? sink = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var request = new SinkRequest(context.Request.Protocol, headers, body.ToArray());
            sink!.Requests.Enqueue(request);
            var reply = await handler(request);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (reply.Body.Length > 0)
            {
                await context.Response.WriteAsync(reply.Body);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/events");
        sink = new LoopbackSink(app, uri);
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
