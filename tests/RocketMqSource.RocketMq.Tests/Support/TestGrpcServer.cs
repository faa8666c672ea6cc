using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.RocketMq.Tests.Support;

/// <summary>
/// A real Kestrel HTTP/2 server on 127.0.0.1 (h2c, or TLS with a given certificate) that
/// speaks gRPC framing through handlers registered per path. Counts TCP connections.
/// </summary>
internal sealed class TestGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, RequestDelegate> _handlers;
    private int _connections;

    private TestGrpcServer(WebApplication app, Dictionary<string, RequestDelegate> handlers)
    {
        _app = app;
        _handlers = handlers;
    }

    public int Port { get; private set; }

    public int ConnectionCount => Volatile.Read(ref _connections);

    public static async Task<TestGrpcServer> StartAsync(
        IReadOnlyDictionary<string, RequestDelegate> handlers,
        X509Certificate2? tlsCertificate = null)
    {
        var routes = new Dictionary<string, RequestDelegate>(handlers, StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TestGrpcServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref server!._connections);
                return next(connection);
            });
            if (tlsCertificate is not null)
            {
                listen.UseHttps(tlsCertificate);
            }
        }));
        var app = builder.Build();
        server = new TestGrpcServer(app, routes);
        app.Run(context => routes.TryGetValue(context.Request.Path.Value ?? string.Empty, out var handler)
            ? handler(context)
            : WriteNotFound(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Starts a gRPC response (200, application/grpc) so messages can follow.</summary>
    public static async Task StartResponseAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        await context.Response.StartAsync();
    }

    public static async Task WriteMessageAsync(HttpContext context, IMessage message)
    {
        await context.Response.Body.WriteAsync(GrpcFraming.ToFrame(message));
        await context.Response.Body.FlushAsync();
    }

    public static void SetStatus(HttpContext context, int code, string? message = null)
    {
        context.Response.AppendTrailer("grpc-status", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message is not null)
        {
            context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
        }
    }

    private static Task WriteNotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    /// <summary>A handler that refuses the call with a trailers-only response: the status travels in the headers.</summary>
    public static RequestDelegate TrailersOnly(int status, string message) => context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    };
}
