using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Testing;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// The real receive adapter (src/RocketMqSource.Adapter, run as a process) accepts the
/// environment the controller builds; a broken environment makes it exit with its
/// configuration-error code, which shows the check can fail.
/// </summary>
public sealed class AdapterContractTests
{
    private const int ConfigurationError = 2;

    [Fact]
    public async Task The_adapter_accepts_the_environment_of_a_fully_specified_source()
    {
        var source = Source(s =>
        {
            s.Namespace = "MQ_INST_1";
            s.Filter = new RocketMQFilter { Type = "SQL92", Expression = "region = 'eu'" };
            s.Credentials = new RocketMQCredentials
            {
                AccessKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq", Key = "accessKey" } },
                SecretKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq", Key = "secretKey" } },
            };
            s.InvisibleDuration = "1m30s";
            s.AwaitDuration = "10s";
            s.Ordering = "unordered";
            s.Delivery = new DeliverySpec { Retry = 5, BackoffPolicy = "linear", BackoffDelay = "PT0.5S", Timeout = "PT2.1S" };
            s.CeOverrides = new CloudEventOverrides { Extensions = new Dictionary<string, string> { ["team"] = "food" } };
        });
        var settings = Settings with
        {
            LoggingConfig = AdapterEnvironment.LoggingConfig("{\"level\":\"info\"}", "debug"),
            ObservabilityConfig = new ObservabilitySettings(
                "grpc", "otel-collector.observability:4317", TimeSpan.FromSeconds(30), "http/protobuf", "otel-collector.observability:4318/v1/traces", 0.5).ToKnativeJson(),
        };
        var deployment = AdapterDeploymentBuilder.Build(source, new ResolvedAddress(BrokerUrl, null, "broker-audience"),
            new ResolvedAddress(new Uri("http://dls.food.svc.cluster.local/"), null, null), settings, null);

        var run = await RunAdapterAsync(Environment(ToJson(deployment)));

        // The adapter parses its whole environment first; anything after that (answering /health,
        // or an exit for another reason such as an unreachable proxy) means it was accepted.
        Assert.True(run.ExitCode != ConfigurationError, $"the adapter refused the controller's environment: {run.Stderr}");
        Assert.DoesNotContain("invalid configuration", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_environment_is_refused_by_the_adapter()
    {
        var env = Environment(ToJson(AdapterDeploymentBuilder.Build(Source(), Sink().Address!, null, Settings, null)));
        env["ROCKETMQ_INVISIBLE_DURATION"] = "forever";

        var run = await RunAdapterAsync(env);

        Assert.Equal(ConfigurationError, run.ExitCode);
        Assert.Contains("ROCKETMQ_INVISIBLE_DURATION", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The container's env with Secret references replaced by placeholder values, and free loopback ports.</summary>
    private static Dictionary<string, string> Environment(JsonObject deployment)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Container(deployment)["env"]!.AsArray())
        {
            var name = variable!["name"]!.GetValue<string>();
            env[name] = variable["value"]?.GetValue<string>() ?? $"placeholder-{variable["valueFrom"]!["secretKeyRef"]!["key"]}";
        }

        env["ROCKETMQ_ENDPOINTS"] = "127.0.0.1:1";
        env["HEALTH_PORT"] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        env["METRICS_PORT"] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>Runs the adapter until it exits or answers /health (configuration accepted), then stops it.</summary>
    private static async Task<(int? ExitCode, string Stderr)> RunAdapterAsync(Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("K_", StringComparison.Ordinal) || k.StartsWith("ROCKETMQ_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        try
        {
            return await WaitForHealthOrExitAsync(process, http, env["HEALTH_PORT"], deadline, stderr);
        }
        finally
        {
            // Whatever the outcome, no adapter outlives the test.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<(int? ExitCode, string Stderr)> WaitForHealthOrExitAsync(Process process, HttpClient http, string healthPort, DateTime deadline, Task<string> stderr)
    {
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            try
            {
                using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health"));
                if (health.IsSuccessStatusCode)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    return (null, await stderr);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer within the probe's timeout on a loaded machine.
            }

            await Task.Delay(100);
        }

        Assert.True(process.HasExited, "the adapter neither answered /health nor exited within 60 s");
        return (process.ExitCode, await stderr);
    }
}
