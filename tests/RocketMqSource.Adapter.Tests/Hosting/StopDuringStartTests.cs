using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RocketMqSource.Adapter.Tests.Support;

namespace RocketMqSource.Adapter.Tests.Hosting;

/// <summary>
/// SIGTERM while the host is still starting (Kubernetes deletes pods that are starting too): the
/// executable finishes its start, stops, and exits 0 without an error line. It used to exit 134 with
/// an unhandled TaskCanceledException from Kestrel's bind (the console lifetime cancelled the start).
/// </summary>
public class StopDuringStartTests
{
    [Fact]
    public async Task Sigterm_while_the_host_starts_exits_zero_without_an_error()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = "http://127.0.0.1:9/",
            ["ROCKETMQ_ENDPOINTS"] = rocketMq.Endpoint,
            ["ROCKETMQ_TOPIC"] = "orders",
            ["ROCKETMQ_CONSUMER_GROUP"] = "g",
            // At debug the host logs "Hosting starting" as its start begins: the signal is sent then,
            // while the middleware is built and Kestrel binds (hundreds of ms in the JIT build).
            ["K_LOGGING_CONFIG"] = """{"zap-logger-config":"{\"level\":\"debug\"}"}""",
        };

        await using var adapter = await AdapterProcess.StartAsync(env, waitFor: "Hosting starting");
        using (var kill = Process.Start("kill", ["-TERM", adapter.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exitCode = await adapter.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{adapter.Log}");
        Assert.DoesNotContain(adapter.Output, line => !line.StartsWith('{'));
        Assert.DoesNotContain(adapter.Output, line => JsonDocument.Parse(line).RootElement.GetProperty("level").GetString() is "error" or "fatal");
        Assert.Contains(adapter.Output, line => line.Contains("stopped consuming", StringComparison.Ordinal));
    }
}
