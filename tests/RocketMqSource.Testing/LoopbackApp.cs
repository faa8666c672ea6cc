using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Testing;

/// <summary>
/// The tests' small HTTP servers (sinks, receivers): a quiet slim host on a loopback port, and
/// the address it was given once started.
/// </summary>
public static class LoopbackApp
{
    /// <summary>A slim host without log output, listening on 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
    public static WebApplication Build(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        return builder.Build();
    }

    /// <summary>The started host's address, e.g. http://127.0.0.1:41234.</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
