using System.Globalization;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Hosting;

/// <summary>The controller's environment contract (config/500-controller.yaml).</summary>
internal sealed record ControllerOptions
{
    public required string AdapterImage { get; init; }

    public string SystemNamespace { get; init; } = "rocketmq-source";

    public string PodName { get; init; } = Environment.MachineName;

    /// <summary>Where Knative Eventing keeps its config-features ConfigMap (KNATIVE_EVENTING_NAMESPACE, as Knative's own components read it).</summary>
    public string EventingNamespace { get; init; } = "knative-eventing";

    public bool LeaderElectionEnabled { get; init; } = true;

    public string LeaseName { get; init; } = "rocketmqsource-controller";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public int MetricsPort { get; init; } = 9090;

    public int HealthPort { get; init; } = 8080;

    public string? LoggingZapConfig { get; init; }

    public string? LogLevel { get; init; }

    public string? AdapterLogLevel { get; init; }

    public int Workers { get; init; } = 2;

    /// <summary>Every source is reconciled again this often, a safety net for sink kinds that cannot be watched.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    public ObservabilitySettings Observability { get; init; } = new();

    public AdapterSettings AdapterSettings => new(AdapterImage, AdapterEnvironment.LoggingConfig(LoggingZapConfig, AdapterLogLevel), Observability.ToKnativeJson());

    /// <summary>Reads the environment; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static ControllerOptions FromEnvironment(Func<string, string?> env)
    {
        var image = env("ADAPTER_IMAGE");
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new ArgumentException("ADAPTER_IMAGE is required: the receive adapter image the controller deploys for each RocketMQSource");
        }

        var defaults = new ControllerOptions { AdapterImage = image };
        return defaults with
        {
            SystemNamespace = Text(env, "SYSTEM_NAMESPACE") ?? defaults.SystemNamespace,
            PodName = Text(env, "POD_NAME") ?? defaults.PodName,
            EventingNamespace = Text(env, "KNATIVE_EVENTING_NAMESPACE") ?? defaults.EventingNamespace,
            LeaderElectionEnabled = Flag(env, "LEADER_ELECTION_ENABLED") ?? true,
            LeaseName = Text(env, "LEADER_ELECTION_LEASE_NAME") ?? defaults.LeaseName,
            LeaseDuration = Duration(env, "LEADER_ELECTION_LEASE_DURATION") ?? defaults.LeaseDuration,
            RenewDeadline = Duration(env, "LEADER_ELECTION_RENEW_DEADLINE") ?? defaults.RenewDeadline,
            RetryPeriod = Duration(env, "LEADER_ELECTION_RETRY_PERIOD") ?? defaults.RetryPeriod,
            MetricsPort = Port(env, "METRICS_PORT") ?? defaults.MetricsPort,
            HealthPort = Port(env, "HEALTH_PORT") ?? defaults.HealthPort,
            LoggingZapConfig = Text(env, "LOGGING_ZAP_CONFIG"),
            LogLevel = Text(env, "LOG_LEVEL"),
            AdapterLogLevel = Text(env, "ADAPTER_LOG_LEVEL"),
            Observability = ObservabilitySettings.FromEnvironment(env),
        };
    }

    private static string? Text(Func<string, string?> env, string name) => env(name) is { Length: > 0 } value ? value.Trim() : null;

    private static bool? Flag(Func<string, string?> env, string name) =>
        Text(env, name) is not { } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw new ArgumentException($"{name} must be true or false, got '{text}'");

    private static TimeSpan? Duration(Func<string, string?> env, string name) =>
        Text(env, name) is not { } text ? null
        : Durations.TryParseGo(text, out var value) && value > TimeSpan.Zero ? value
        : throw new ArgumentException($"{name} must be a duration such as 15s, got '{text}'");

    private static int? Port(Func<string, string?> env, string name) =>
        Text(env, name) is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port
        : throw new ArgumentException($"{name} must be a port number, got '{text}'");
}
