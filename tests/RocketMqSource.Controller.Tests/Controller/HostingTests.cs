using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Controller.Tests.Manifests;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The executable's environment contract, logs, probes and metrics.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task The_controller_logs_Knative_zap_lines_as_the_adapter_does()
    {
        await using var harness = await ControllerHarness.StartAsync();
        harness.SeedBroker();
        var kubeconfig = await harness.Server.WriteKubeconfigAsync("test");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Controller.dll")]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["ADAPTER_IMAGE"] = Fixtures.Settings.Image;
        start.Environment["LEADER_ELECTION_ENABLED"] = "false";
        start.Environment["POD_NAME"] = "rocketmqsource-controller-7d9";
        start.Environment["LOG_LEVEL"] = "debug";
        start.Environment["HEALTH_PORT"] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        start.Environment["METRICS_PORT"] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => lines.Enqueue(line.Data ?? string.Empty);
        process.Start();
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await harness.CreateSourceAsync();
            await Eventually.WaitAsync(() => process.HasExited || lines.Any(l => l.Contains("adapter Deployment food/", StringComparison.Ordinal)), "the controller's line about the Deployment it created", TimeSpan.FromSeconds(60));
            if (process.HasExited)
            {
                Assert.Fail($"the controller exited with {process.ExitCode}: {await stderr}");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(kubeconfig);
        }

        // Every line is one zap-shaped JSON object: Knative's keys first, in its order, then the message's fields.
        var written = lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(written);
        foreach (var line in written)
        {
            Assert.Equal(["level", "ts", "logger", "caller", "msg", "knative.dev/pod", "knative.dev/controller", "knative.dev/kind"], line.EnumerateObject().Take(8).Select(p => p.Name));
            Assert.Contains(line.GetProperty("level").GetString(), new[] { "debug", "info", "warn", "error", "fatal" });
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("ts").GetString());
            Assert.Equal("rocketmqsource-controller-7d9", line.GetProperty("knative.dev/pod").GetString());
            Assert.Equal("sources.knative.dev.RocketMQSource", line.GetProperty("knative.dev/kind").GetString());
        }

        var created = written.First(l => l.GetProperty("msg").GetString()!.Contains("adapter Deployment food/", StringComparison.Ordinal));
        Assert.Equal(("info", "RocketMqSource.Controller", "food"), (created.GetProperty("level").GetString(), created.GetProperty("logger").GetString(), created.GetProperty("namespace").GetString()));
    }

    [Fact]
    public async Task Without_ADAPTER_IMAGE_the_controller_exits_at_startup_with_one_clear_line()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Controller.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("ADAPTER_IMAGE");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rocketmqsource-controller: ADAPTER_IMAGE is required: the receive adapter image the controller deploys for each RocketMQSource", Assert.Single(lines));
        Assert.Equal(string.Empty, await stdout);
    }

    [Fact]
    public void Reads_the_environment_of_its_Deployment_manifest()
    {
        var env = new Dictionary<string, string>
        {
            ["ADAPTER_IMAGE"] = "adapter:1", ["SYSTEM_NAMESPACE"] = "rocketmq-source", ["POD_NAME"] = "controller-7d9",
            ["LEADER_ELECTION_ENABLED"] = "true", ["LEADER_ELECTION_LEASE_NAME"] = "rocketmqsource-controller",
            ["LEADER_ELECTION_LEASE_DURATION"] = "15s", ["LEADER_ELECTION_RENEW_DEADLINE"] = "10s", ["LEADER_ELECTION_RETRY_PERIOD"] = "2s",
            ["METRICS_PORT"] = "9090", ["HEALTH_PORT"] = "8080", ["LOGGING_ZAP_CONFIG"] = "{\"level\":\"info\"}", ["ADAPTER_LOG_LEVEL"] = "debug",
            ["METRICS_PROTOCOL"] = "prometheus", ["METRICS_EXPORT_INTERVAL"] = "30s",
            ["TRACING_PROTOCOL"] = "grpc", ["TRACING_ENDPOINT"] = "http://otel-collector.observability:4317", ["TRACING_SAMPLING_RATE"] = "0.25",
        };

        var options = ControllerOptions.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal("controller-7d9", options.PodName);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(9090, options.MetricsPort);
        Assert.Contains("\"loglevel.adapter\":\"debug\"", options.AdapterSettings.LoggingConfig, StringComparison.Ordinal);
        // knative/pkg observability.Config as encoding/json writes it: the interval in nanoseconds.
        Assert.Equal(
            """{"metrics":{"protocol":"prometheus","export_interval":30000000000},"tracing":{"protocol":"grpc","endpoint":"http://otel-collector.observability:4317","sampling_rate":0.25}}""",
            options.AdapterSettings.ObservabilityConfig);
        var noEndpoint = Assert.Throws<ArgumentException>(() => ControllerOptions.FromEnvironment(name => name == "TRACING_ENDPOINT" ? null : env.GetValueOrDefault(name)));
        Assert.Equal("TRACING_ENDPOINT must be set when TRACING_PROTOCOL is grpc", noEndpoint.Message);
        var bad = Assert.Throws<ArgumentException>(() => ControllerOptions.FromEnvironment(name => name == "METRICS_PORT" ? "nine" : env.GetValueOrDefault(name)));
        Assert.Equal("METRICS_PORT must be a port number, got 'nine'", bad.Message);
    }

    [Fact]
    public void The_literal_environment_of_config_500_controller_is_accepted_and_its_ports_match_the_container_ports()
    {
        var deployment = Manifest.LoadConfig().Single(m => m.Kind == "Deployment" && m.Name == "rocketmqsource-controller").Document;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var literal = container["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)(long)p!["containerPort"]!);

        var options = ControllerOptions.FromEnvironment(name => literal.GetValueOrDefault(name));

        Assert.Equal(literal["ADAPTER_IMAGE"], options.AdapterImage);
        Assert.True(options.LeaderElectionEnabled);
        Assert.Equal(literal["LEADER_ELECTION_LEASE_NAME"], options.LeaseName);
        Assert.True(options.RenewDeadline < options.LeaseDuration);
        Assert.Equal(ports["metrics"], options.MetricsPort);
        Assert.Equal(ports["health"], options.HealthPort);
    }

    [Fact]
    public async Task Serves_health_and_readiness_on_the_health_port_and_metrics_on_the_metrics_port()
    {
        await using var harness = await ControllerHarness.StartAsync();
        harness.SeedBroker();
        var options = ControllerHarness.Options() with { HealthPort = LoopbackPort.GetFree(), MetricsPort = LoopbackPort.GetFree() };
        await using var app = ControllerHost.Build(options, harness.Client, IPAddress.Loopback);
        await app.StartAsync();
        await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("SinkProvided", "True");
        using var http = new HttpClient();

        var health = await http.GetAsync(new Uri($"http://127.0.0.1:{options.HealthPort}/health"));
        var readiness = await http.GetAsync(new Uri($"http://127.0.0.1:{options.HealthPort}/readiness"));
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{options.MetricsPort}/metrics"));
        var metricsOnHealthPort = await http.GetAsync(new Uri($"http://127.0.0.1:{options.HealthPort}/metrics"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnHealthPort.StatusCode);
        Assert.Matches("(?m)^rocketmqsource_controller_reconciles_total\\{[^}]*result=\"success\"[^}]*\\} [1-9]", metrics);
        Assert.Contains("# TYPE kn_workqueue_process_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Matches("(?m)^kn_workqueue_depth\\{[^}]*name=\"rocketmqsources\"[^}]*\\} [0-9]", metrics);
        await app.StopAsync();
    }
}
