using System.Globalization;
using System.Net;
using FoodDelivery.OrderService.Http;
using FoodDelivery.OrderService.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodDelivery.OrderService;

/// <summary>
/// The order service as a host another program can start (the local run, tests), or that
/// <c>dotnet run</c> runs. It is scaled from zero, so startup is kept small: the slim builder,
/// no MVC, no reflection-based JSON.
/// </summary>
public static class OrderServiceApp
{
    public const int DefaultPort = 8080;

    /// <summary>Builds the service; call RunAsync (or StartAsync and <see cref="GetBaseAddress"/>) on the result.</summary>
    public static WebApplication Build(string[] args, OrderServiceOptions? options = null)
    {
        options ??= new OrderServiceOptions();
        var port = options.Port ?? PortFromEnvironment();
        var listenAddress = ListenAddress(options.ListenAddress);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.JsonWriterOptions = new() { Indented = false });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (listenAddress is null)
            {
                kestrel.ListenAnyIP(port);
            }
            else
            {
                kestrel.Listen(listenAddress, port);
            }
        });

        var app = builder.Build();
        var log = new OrderLog(options.OrderLog);
        var endpoint = new OrderEndpoint(options, log);
        app.MapPost("/", endpoint.HandleAsync);
        app.MapGet("/health", OrderEndpoint.HealthAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
            log.Write(OrderLogLine.Listening(options.TimeProvider.GetUtcNow(), string.Join(' ', ListeningAddresses(app)))));
        return app;
    }

    /// <summary>The address the started service listens on (with the real port when 0 was asked for).</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = ListeningAddresses(app).FirstOrDefault()
            ?? throw new InvalidOperationException("the order service is not listening yet; start it first");
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private static IEnumerable<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];

    private static IPAddress? ListenAddress(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : IPAddress.TryParse(text, out var address) ? address
        : throw new InvalidOperationException($"the listen address must be an IP address, not '{text}'");

    /// <summary>Knative Serving tells the container its port in $PORT.</summary>
    private static int PortFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("PORT");
        if (string.IsNullOrEmpty(value))
        {
            return DefaultPort;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"PORT must be a TCP port number, not '{value}'");
    }
}
