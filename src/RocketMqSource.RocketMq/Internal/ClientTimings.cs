namespace RocketMqSource.RocketMq.Internal;

/// <summary>Background schedules of a client (the official clients' values by default; tests shorten them).</summary>
internal sealed record ClientTimings
{
    public static ClientTimings Default { get; } = new();

    public TimeSpan HeartbeatDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RouteRefreshDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RouteRefreshPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SettingsSyncDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan SettingsSyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a broken telemetry stream is looked for and, when found, reopened with the settings.</summary>
    public TimeSpan TelemetryRepairPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra wait for the settings reply beyond the request timeout.</summary>
    public TimeSpan SettingsReplyGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Upper bound for NotifyClientTermination on shutdown.</summary>
    public TimeSpan TerminationTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
