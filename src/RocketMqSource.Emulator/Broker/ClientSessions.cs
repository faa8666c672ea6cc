using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>Settings of each connected client (by x-mq-client-id); a session lapses 120 s after its last sign of life.</summary>
internal sealed class ClientSessions(TimeProvider clock)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(120);

    private readonly object _gate = new();
    private readonly Dictionary<string, (Settings Settings, DateTimeOffset LastSeen)> _sessions = new(StringComparer.Ordinal);

    public void Store(string clientId, Settings settings)
    {
        lock (_gate)
        {
            _sessions[clientId] = (settings, clock.GetUtcNow());
        }
    }

    /// <summary>The stored settings, or null when the client never sent any or its session lapsed.</summary>
    public Settings? Find(string clientId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(clientId, out var session))
            {
                return null;
            }

            if (clock.GetUtcNow() - session.LastSeen > Expiry)
            {
                _sessions.Remove(clientId);
                return null;
            }

            return session.Settings;
        }
    }

    /// <summary>Refreshes the session; false when there is none to refresh.</summary>
    public bool Touch(string clientId)
    {
        lock (_gate)
        {
            if (Find(clientId) is not { } settings)
            {
                return false;
            }

            _sessions[clientId] = (settings, clock.GetUtcNow());
            return true;
        }
    }

    public bool Remove(string clientId)
    {
        lock (_gate)
        {
            return Find(clientId) is not null && _sessions.Remove(clientId);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                return _sessions.Values.Count(session => now - session.LastSeen <= Expiry);
            }
        }
    }
}
