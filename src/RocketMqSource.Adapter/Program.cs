using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Hosting;

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

        await using var app = AdapterHost.Build(AdapterHost.CreateBuilder(options));
        await app.RunAsync();
        // Non-zero when the consumer stopped the host because it failed.
        return Environment.ExitCode;
    }

    /// <summary>One line on stderr, also left as the container's termination message when Kubernetes provides one.</summary>
    private static int Fail(int exitCode, string line)
    {
        Console.Error.WriteLine(line);
        try
        {
            const string terminationLog = "/dev/termination-log";
            if (File.Exists(terminationLog))
            {
                File.WriteAllText(terminationLog, line);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return exitCode;
    }
}
