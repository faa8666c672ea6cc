using System.Diagnostics;
using System.Globalization;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Hosting;

/// <summary>The executable, configured by environment variables only, consumes from the emulator and stops cleanly on SIGTERM.</summary>
public class ExecutableAgainstEmulatorTests
{
    [Fact]
    public async Task Consumes_from_the_emulator_and_exits_zero_on_sigterm_after_draining()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var id = await rocketMq.SendAsync(EmulatedRocketMq.Order("orders", 1, tag: "created"));
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = sink.Uri.AbsoluteUri,
            ["ROCKETMQ_ENDPOINTS"] = rocketMq.Endpoint,
            ["ROCKETMQ_TOPIC"] = "orders",
            ["ROCKETMQ_CONSUMER_GROUP"] = "g",
        };

        await using var adapter = await AdapterProcess.StartAsync(env);
        await Eventually.WaitAsync(() => rocketMq.Stats("g", "orders") is { Acked: 1, InFlight: 0 }, "the message delivered and acked");
        var request = Assert.Single(sink.Requests);
        Assert.Equal(id, request.EventId);
        Assert.Equal("/apis/v1/namespaces/default/rocketmqsources/g#orders", request.Header("ce-source"));

        using (var kill = Process.Start("kill", ["-TERM", adapter.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exitCode = await adapter.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{adapter.Log}");
        Assert.Contains(adapter.Output, line => line.Contains("stopped consuming", StringComparison.Ordinal));
    }
}
