using System.Text;
using System.Text.Json;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// Ready while consuming and not shutting down; otherwise names what blocks it (connecting, tls
/// handshake failed, unauthorized, forbidden, topic not found, stopping), which /readiness returns and the
/// termination message keeps.
/// </summary>
internal sealed class ReadinessState(TerminationMessage? termination = null)
{
    public const string Connecting = "connecting";
    public const string Stopping = "stopping";

    private readonly Lock gate = new();
    private bool consuming;
    private bool stopping;
    private string reason = Connecting;
    private string detail = "starting the RocketMQ consumer";

    public bool IsReady
    {
        get
        {
            lock (gate)
            {
                return consuming && !stopping;
            }
        }
    }

    public void ConsumingStarted()
    {
        lock (gate)
        {
            consuming = true;
        }

        termination?.Clear();
    }

    public void ConsumingStopped()
    {
        lock (gate)
        {
            consuming = false;
        }
    }

    /// <summary>Consuming cannot start: the failure's reason word, and its cause at the proxy's address.</summary>
    public void Blocked(RocketMqFailure failure, string endpoints) => Blocked(ReasonFor(failure.Kind), $"{endpoints}: {failure.Cause}");

    /// <summary>The readiness reason (docs/adapter.md "When the adapter cannot consume") for each kind of RocketMQ failure.</summary>
    public static string ReasonFor(RocketMqFailureKind kind) => kind switch
    {
        RocketMqFailureKind.TlsHandshakeFailed => "tls handshake failed",
        RocketMqFailureKind.Unauthorized => "unauthorized",
        RocketMqFailureKind.Forbidden => "forbidden",
        RocketMqFailureKind.TopicNotFound => "topic not found",
        RocketMqFailureKind.ErrorStatus => "rocketmq error",
        _ => Connecting,
    };

    /// <summary>Consuming cannot start or go on: why, in the words the logs use.</summary>
    public void Blocked(string blockingReason, string blockingDetail)
    {
        // The termination message first: whoever sees the reason on /readiness finds it there too.
        termination?.Write($"{blockingReason}: {blockingDetail}");
        lock (gate)
        {
            consuming = false;
            reason = blockingReason;
            detail = blockingDetail;
        }
    }

    /// <summary>SIGTERM: from now on the pod reports not ready, so it is taken out of rotation.</summary>
    public void StopRequested()
    {
        lock (gate)
        {
            stopping = true;
        }
    }

    /// <summary>The /readiness body: {"ready":true} or {"ready":false,"reason":…,"message":…}.</summary>
    public string ToJson()
    {
        bool ready;
        string why;
        string message;
        lock (gate)
        {
            ready = consuming && !stopping;
            why = stopping ? Stopping : reason;
            message = stopping ? "shutting down" : detail;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ready", ready);
            if (!ready)
            {
                json.WriteString("reason", why);
                json.WriteString("message", message);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
