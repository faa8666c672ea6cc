using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// config-observability and config-logging are watched in the controller's namespace: an edit
/// rolls every adapter, as knative/eventing pkg/reconciler/source/config_watcher.go keeps its
/// sources' K_*_CONFIG current.
/// </summary>
public sealed class AdapterConfigWatchTests : IAsyncLifetime
{
    private const string ConfigMapsPath = "/api/v1/namespaces/rocketmq-source/configmaps";
    private ControllerHarness harness = null!;

    public async Task InitializeAsync() => harness = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Editing_config_observability_or_config_logging_changes_the_adapter_Deployment()
    {
        harness.SeedBroker();
        harness.Server.Seed(ConfigMapsPath, ConfigMap(AdapterConfig.ObservabilityMap, new() { ["metrics-protocol"] = "prometheus" }));
        harness.Server.Seed(ConfigMapsPath, ConfigMap(AdapterConfig.LoggingMap, new() { ["loglevel.adapter"] = "info" }));
        harness.StartController();
        var created = await harness.CreateSourceAsync();
        var first = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        Assert.Contains("\"protocol\":\"prometheus\"", Fixtures.Env(first, "K_OBSERVABILITY_CONFIG"), StringComparison.Ordinal);
        Assert.Contains("\"loglevel.adapter\":\"info\"", Fixtures.Env(first, "K_LOGGING_CONFIG"), StringComparison.Ordinal);

        await ReplaceDataAsync(AdapterConfig.ObservabilityMap, new() { ["metrics-protocol"] = "none" });
        var observed = await Eventually.ValueAsync(
            () => harness.Deployment(created) is { } d && Fixtures.Env(d, "K_OBSERVABILITY_CONFIG")!.Contains("\"metrics\":{\"protocol\":\"none\"}", StringComparison.Ordinal) ? d : null,
            "K_OBSERVABILITY_CONFIG with metrics off");

        await ReplaceDataAsync(AdapterConfig.LoggingMap, new() { ["loglevel.adapter"] = "debug" });
        var logged = await Eventually.ValueAsync(
            () => harness.Deployment(created) is { } d && Fixtures.Env(d, "K_LOGGING_CONFIG") == "{\"loglevel.adapter\":\"debug\"}" ? d : null,
            "K_LOGGING_CONFIG at debug");
        // The logging edit left the observability settings as they were.
        Assert.Equal(Fixtures.Env(observed, "K_OBSERVABILITY_CONFIG"), Fixtures.Env(logged, "K_OBSERVABILITY_CONFIG"));
    }

    [Fact]
    public async Task An_invalid_config_observability_is_refused_and_the_adapters_keep_the_last_good_one()
    {
        harness.SeedBroker();
        harness.Server.Seed(ConfigMapsPath, ConfigMap(AdapterConfig.ObservabilityMap, new() { ["metrics-protocol"] = "none" }));
        harness.StartController();
        var created = await harness.CreateSourceAsync();
        var first = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        var good = Fixtures.Env(first, "K_OBSERVABILITY_CONFIG");

        // grpc without an endpoint is refused by knative/pkg's validation; then a valid edit still gets through.
        await ReplaceDataAsync(AdapterConfig.ObservabilityMap, new() { ["metrics-protocol"] = "grpc" });
        await ReplaceDataAsync(AdapterConfig.ObservabilityMap, new() { ["metrics-protocol"] = "none", ["tracing-protocol"] = "stdout" });
        var after = await Eventually.ValueAsync(
            () => harness.Deployment(created) is { } d && Fixtures.Env(d, "K_OBSERVABILITY_CONFIG")!.Contains("stdout", StringComparison.Ordinal) ? d : null,
            "the valid edit");

        Assert.Contains("\"metrics\":{\"protocol\":\"none\"}", good, StringComparison.Ordinal);
        Assert.DoesNotContain("grpc", Fixtures.Env(after, "K_OBSERVABILITY_CONFIG"), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "PUT" && r.Path.Contains("/deployments/", StringComparison.Ordinal) && r.Body?.Contains("\\\"grpc\\\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Editing_loglevel_controller_turns_the_controllers_debug_lines_on_without_a_restart()
    {
        harness.SeedBroker();
        harness.Server.Seed(ConfigMapsPath, ConfigMap(AdapterConfig.LoggingMap, new() { [ControllerLogLevel.Key] = "info" }));
        var level = new ControllerLogLevel(LogLevel.Information);
        using var capture = new CapturingLoggerProvider();
        // The filter the controller's host installs, in front of a provider that keeps what passes it.
        using var logging = LoggerFactory.Create(builder =>
        {
            level.Install(builder);
            builder.AddProvider(capture);
        });
        var runtime = harness.StartController(logger: logging.CreateLogger("RocketMqSource.Controller"), logLevel: level);
        var created = await harness.CreateSourceAsync();
        var deployment = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        // The debug line is written before the reconcile is counted.
        await Eventually.ValueAsync(() => runtime.Metrics.Successes >= 1 ? "counted" : null, "a finished reconcile");
        Assert.False(capture.Any("Debug: "), string.Join('\n', capture.Lines));

        await ReplaceDataAsync(AdapterConfig.LoggingMap, new() { [ControllerLogLevel.Key] = "debug" });
        await Eventually.ValueAsync(() => level.Minimum == LogLevel.Debug ? "debug" : null, "the controller at debug");
        // The Deployment becoming available is the next reconcile of the source.
        await harness.MakeAvailableAsync(deployment);
        await Eventually.ValueAsync(() => capture.Any("Debug: reconciled food/orders in ") ? "logged" : null, "a debug line after the edit");

        // A level zap does not know is refused: the last good level stays.
        await ReplaceDataAsync(AdapterConfig.LoggingMap, new() { [ControllerLogLevel.Key] = "verbose" });
        await Eventually.ValueAsync(() => capture.Any("Warning: config-logging refused") ? "refused" : null, "the refusal");
        Assert.Equal(LogLevel.Debug, level.Minimum);
    }

    [Fact]
    public void Without_loglevel_controller_the_controller_logs_at_info_as_knative_does()
    {
        var level = new ControllerLogLevel(LogLevel.Warning);

        Assert.True(level.Apply(new Dictionary<string, string> { ["loglevel.adapter"] = "debug" }));
        Assert.Equal(LogLevel.Information, level.Minimum);
        Assert.True(level.Apply(new Dictionary<string, string> { [ControllerLogLevel.Key] = "WARN" }));
        Assert.Equal(LogLevel.Warning, level.Minimum);
        Assert.False(level.Apply(new Dictionary<string, string> { [ControllerLogLevel.Key] = "warn" }));
        Assert.True(level.Apply(null));
        Assert.Equal(LogLevel.Information, level.Minimum);
    }

    [Fact]
    public void A_deleted_map_means_the_defaults_and_an_unrelated_edit_changes_nothing()
    {
        var config = new AdapterConfig(new AdapterSettings("adapter:1", "{\"loglevel.adapter\":\"debug\"}", "{\"metrics\":{\"protocol\":\"none\"},\"tracing\":{\"protocol\":\"none\"}}"));

        Assert.False(config.Apply(AdapterConfig.LoggingMap, new Dictionary<string, string> { ["loglevel.adapter"] = "debug", ["loglevel.controller"] = "warn" }));
        Assert.True(config.Apply(AdapterConfig.LoggingMap, null));
        Assert.Null(config.Current.LoggingConfig);
        Assert.True(config.Apply(AdapterConfig.ObservabilityMap, null));
        Assert.Equal(new ObservabilitySettings().ToKnativeJson(), config.Current.ObservabilityConfig);
        Assert.Throws<ArgumentException>(() => config.Apply(AdapterConfig.ObservabilityMap, new Dictionary<string, string> { ["tracing-protocol"] = "zipkin" }));
        Assert.Equal(new ObservabilitySettings().ToKnativeJson(), config.Current.ObservabilityConfig);
    }

    private static JsonObject ConfigMap(string name, Dictionary<string, string> data) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
    };

    private async Task ReplaceDataAsync(string name, Dictionary<string, string> data)
    {
        var map = await harness.Client.CoreV1.ReadNamespacedConfigMapAsync(name, "rocketmq-source");
        map.Data = data;
        await harness.Client.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, "rocketmq-source");
    }
}
