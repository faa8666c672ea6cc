using System.Text.Json;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>
/// One emulator per test class on a free loopback port, with the proxy's 10 s / 5 s minimums
/// lowered to 1 s so expiry and empty polls stay quick (the only deviation from defaults).
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string FifoTopic = "fifo-orders";

    public RocketMqEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new RocketMqEmulatorOptions
        {
            Listen = "127.0.0.1:0",
            MinInvisibleDuration = TimeSpan.FromSeconds(1),
            MinLongPollingTimeout = TimeSpan.FromSeconds(1),
        };
        options.FifoTopics.Add(FifoTopic);
        Emulator = await RocketMqEmulator.StartAsync(options);
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Runs tests/interop/rocketmq-&lt;name&gt;.mjs against this emulator and parses its JSON output.</summary>
    public Task<JsonElement> RunAsync(string name, params string[] args) => RunScriptAsync(Emulator, name, null, args);

    public static async Task<JsonElement> RunScriptAsync(RocketMqEmulator emulator, string name, IDictionary<string, string>? environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["ROCKETMQ_ENDPOINT"] = emulator.Endpoint };
        var result = (await NodePeer.RunAsync($"rocketmq-{name}.mjs", args, environment: env, timeout: TimeSpan.FromSeconds(60))).EnsureSuccess();
        try
        {
            return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"script printed no JSON\n{result.StandardOutput}\n{result.StandardError}", e);
        }
    }
}
