using Microsoft.Extensions.Hosting;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter;

/// <summary>The receive adapter's entry point: configuration from the environment, then the host.</summary>
internal static class Program
{
    /// <summary>Exit code for missing or invalid configuration.</summary>
    public const int ConfigurationError = 2;

    public static async Task<int> Main()
    {
        AdapterOptions options;
        try
        {
            options = AdapterOptionsParser.Parse(AdapterOptionsParser.ProcessEnvironment());
        }
        catch (ConfigurationException e)
        {
            return Fail(ConfigurationError, $"invalid configuration: {e.Message}");
        }

        using var signals = ShutdownSignals.Listen();
        // The connection, route query and settings handshake run while the host is being built.
        await using var connection = RocketMqConnection.BeginOpening(options.RocketMq);
        await using var app = AdapterHost.Build(AdapterHost.CreateBuilder(options, connection, signals));
        // The start runs to its end even when a signal came during it (nothing is received before
        // the loop runs); then the host stops as on any SIGTERM, draining what it holds.
        await app.StartAsync(CancellationToken.None);
        await app.WaitForShutdownAsync(signals.Stopping);

        // Non-zero when the consumer stopped the host because it failed.
        return Environment.ExitCode;
    }

    /// <summary>One line on stderr, also left as the container's termination message.</summary>
    private static int Fail(int exitCode, string line)
    {
        Console.Error.WriteLine(line);
        TerminationMessage.FromEnvironment(Environment.GetEnvironmentVariable).Write(line);
        return exitCode;
    }
}
