using RocketMqSource.RocketMq.Internal;

namespace RocketMqSource.RocketMq.Tests.Support;

internal static class ClientFixtures
{
    /// <summary>Timers that never fire during a test, so call counts are exact.</summary>
    public static readonly ClientTimings Quiet = new()
    {
        HeartbeatDelay = TimeSpan.FromHours(1),
        RouteRefreshDelay = TimeSpan.FromHours(1),
        SettingsSyncDelay = TimeSpan.FromHours(1),
        TelemetryRepairPeriod = TimeSpan.FromHours(1),
    };

    /// <summary>Timers that fire quickly, to observe the background upkeep.</summary>
    public static readonly ClientTimings Fast = new()
    {
        HeartbeatDelay = TimeSpan.FromMilliseconds(20),
        HeartbeatPeriod = TimeSpan.FromMilliseconds(50),
        RouteRefreshDelay = TimeSpan.FromMilliseconds(20),
        RouteRefreshPeriod = TimeSpan.FromMilliseconds(50),
        SettingsSyncDelay = TimeSpan.FromMilliseconds(20),
        SettingsSyncPeriod = TimeSpan.FromMilliseconds(50),
    };

    public static ClientConfig Config(FakeProxy proxy, ISessionCredentialsProvider? credentials = null, string @namespace = "")
    {
        var builder = new ClientConfig.Builder()
            .SetEndpoints(proxy.Endpoints)
            .EnableSsl(false)
            .SetNamespace(@namespace)
            .SetRequestTimeout(TimeSpan.FromSeconds(3));
        if (credentials is not null)
        {
            builder.SetCredentialsProvider(credentials);
        }

        return builder.Build();
    }
}
