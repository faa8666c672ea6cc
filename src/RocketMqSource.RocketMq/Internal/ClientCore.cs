using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>
/// What producers and consumers share: routes per topic, one Telemetry session per endpoint with
/// the settings handshake, heartbeat / route refresh / settings re-sync timers, and shutdown.
/// </summary>
internal abstract class ClientCore : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TopicRoute> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EndpointAddress, TelemetrySession> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _timers = [];
    private int _state;

    protected ClientCore(ClientConfig config, ClientTimings timings)
    {
        Config = config;
        Timings = timings;
        Rpc = new MessagingRpc(config, ClientIdentity.NewClientId());
    }

    public ClientConfig Config { get; }

    public string ClientId => Rpc.ClientId;

    protected ClientTimings Timings { get; }

    protected MessagingRpc Rpc { get; }

    /// <summary>Cancelled first thing on dispose: long-running calls (long polls) end with it.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Endpoints with a telemetry session (those the client has settings on).</summary>
    protected IReadOnlyCollection<EndpointAddress> SessionEndpoints => [.. _sessions.Keys];

    /// <summary>Topics whose routes this client keeps fresh.</summary>
    protected abstract IEnumerable<string> Topics { get; }

    protected abstract ClientType ClientType { get; }

    /// <summary>Adds the publishing or subscription part to the settings.</summary>
    protected abstract void FillSettings(Settings settings);

    /// <summary>Takes over server values from a settings reply (called from the telemetry reader).</summary>
    protected abstract void ApplyServerSettings(Settings settings);

    protected abstract HeartbeatRequest BuildHeartbeat();

    protected abstract NotifyClientTerminationRequest BuildTermination();

    public async Task StartAsync(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the client was already started");
        }

        try
        {
            foreach (var topic in Topics.ToList())
            {
                await FetchRouteAsync(topic, token).ConfigureAwait(false);
            }

            await SyncSettingsAsync(KnownEndpoints(), token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await DisposeAsync().ConfigureAwait(false);
            if (exception is RpcException { IsCancelled: true } && token.IsCancellationRequested)
            {
                throw new OperationCanceledException("client start cancelled", exception, token);
            }

            throw;
        }

        _timers.Add(RunPeriodicAsync(Timings.HeartbeatDelay, Timings.HeartbeatPeriod, HeartbeatAsync));
        _timers.Add(RunPeriodicAsync(Timings.RouteRefreshDelay, Timings.RouteRefreshPeriod, RefreshRoutesAsync));
        _timers.Add(RunPeriodicAsync(Timings.SettingsSyncDelay, Timings.SettingsSyncPeriod,
            t => SyncSettingsAsync([.. _sessions.Keys], t)));
        // A proxy that restarted knows nothing of this client (UNRECOGNIZED_CLIENT_TYPE on every call)
        // until the settings arrive again, so a broken stream is reopened soon, not at the next re-sync.
        _timers.Add(RunPeriodicAsync(Timings.TelemetryRepairPeriod, Timings.TelemetryRepairPeriod,
            t => SyncSettingsAsync([.. _sessions.Where(s => s.Value.IsBroken).Select(s => s.Key)], t)));
    }

    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 2)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_timers).ConfigureAwait(false);
        if (previous == 1)
        {
            await NotifyTerminationAsync().ConfigureAwait(false);
        }

        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _sessions.Clear();
        Rpc.Dispose();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void ThrowIfNotRunning()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        if (Volatile.Read(ref _state) != 1)
        {
            throw new InvalidOperationException("the client is not started");
        }
    }

    protected async Task<TopicRoute> GetRouteAsync(string topic, CancellationToken token) =>
        _routes.TryGetValue(topic, out var route) ? route : await FetchRouteAsync(topic, token).ConfigureAwait(false);

    /// <summary>QueryRoute for a topic; opens telemetry to any broker endpoint seen for the first time.</summary>
    protected async Task<TopicRoute> FetchRouteAsync(string topic, CancellationToken token)
    {
        var request = new QueryRouteRequest
        {
            Topic = ProtocolConversions.Resource(Config.Namespace, topic),
            Endpoints = Config.AccessPoint.ToProtocol(),
        };
        var result = await CallAccessPointAsync(e => Rpc.QueryRouteAsync(e, request, token)).ConfigureAwait(false);
        StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId);
        var route = new TopicRoute([.. result.Response.MessageQueues]);
        var known = KnownEndpoints();
        _routes[topic] = route;
        var added = route.Endpoints.Except(known).ToList();
        if (added.Count > 0 && Volatile.Read(ref _state) == 1 && _sessions.Count > 0)
        {
            await SyncSettingsAsync(added, token).ConfigureAwait(false);
        }

        return route;
    }

    protected void ForgetRoute(string topic) => _routes.TryRemove(topic, out _);

    /// <summary>Writes the current settings to every given endpoint and waits for each reply.</summary>
    protected async Task SyncSettingsAsync(IReadOnlyCollection<EndpointAddress> endpoints, CancellationToken token)
    {
        var replyTimeout = Config.RequestTimeout + Timings.SettingsReplyGrace;
        await Task.WhenAll(endpoints.Select(endpoint =>
        {
            var session = _sessions.GetOrAdd(endpoint, e => new TelemetrySession(Rpc, e, ApplyServerSettings));
            return session.SyncSettingsAsync(BuildSettings(), replyTimeout, token);
        })).ConfigureAwait(false);
    }

    protected Settings BuildSettings()
    {
        var settings = new Settings
        {
            ClientType = ClientType,
            AccessPoint = Config.AccessPoint.ToProtocol(),
            RequestTimeout = Duration.FromTimeSpan(Config.RequestTimeout),
            UserAgent = new UA
            {
                Language = Language.DotNet,
                Version = ClientIdentity.Version,
                Platform = RuntimeInformation.OSDescription,
                Hostname = ClientIdentity.HostName,
            },
        };
        FillSettings(settings);
        return settings;
    }

    private IReadOnlyCollection<EndpointAddress> KnownEndpoints()
    {
        var endpoints = _routes.Values.SelectMany(r => r.Endpoints).ToHashSet();
        if (endpoints.Count == 0)
        {
            endpoints.Add(Config.AccessPoint.Addresses[0]);
        }

        return endpoints;
    }

    /// <summary>Tries the configured addresses in order while they are unreachable.</summary>
    private async Task<T> CallAccessPointAsync<T>(Func<EndpointAddress, Task<T>> call)
    {
        var addresses = Config.AccessPoint.Addresses;
        for (var i = 0; ; i++)
        {
            try
            {
                return await call(addresses[i]).ConfigureAwait(false);
            }
            catch (RpcException exception) when (exception.IsUnavailable && i + 1 < addresses.Count)
            {
                // Next address.
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken token)
    {
        var request = BuildHeartbeat();
        await Task.WhenAll(_sessions.Keys.Select(async endpoint =>
        {
            var result = await Rpc.HeartbeatAsync(endpoint, request, token).ConfigureAwait(false);
            StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId);
        })).ConfigureAwait(false);
    }

    private async Task RefreshRoutesAsync(CancellationToken token)
    {
        foreach (var topic in Topics.ToList())
        {
            await FetchRouteAsync(topic, token).ConfigureAwait(false);
        }
    }

    private async Task NotifyTerminationAsync()
    {
        var request = BuildTermination();
        await Task.WhenAll(_sessions.Keys.Select(async endpoint =>
        {
            try
            {
                await Rpc.NotifyClientTerminationAsync(endpoint, request, Timings.TerminationTimeout, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RpcException or ClientException)
            {
                // The proxy expires the session on its own; shutdown must not hang on it.
            }
        })).ConfigureAwait(false);
    }

    private async Task RunPeriodicAsync(TimeSpan delay, TimeSpan period, Func<CancellationToken, Task> work)
    {
        var token = _stopping.Token;
        try
        {
            await Task.Delay(delay, token).ConfigureAwait(false);
            using var timer = new PeriodicTimer(period);
            do
            {
                try
                {
                    await work(token).ConfigureAwait(false);
                }
                catch (Exception) when (!token.IsCancellationRequested)
                {
                    // Background upkeep retries on its next tick; callers see failures on their own calls.
                }
            }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Stopped (the cancelled call may surface as OperationCanceledException or RpcException).
        }
    }
}
