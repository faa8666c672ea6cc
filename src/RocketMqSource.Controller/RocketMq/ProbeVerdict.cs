using System.Globalization;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// Turns a check's outcome into the RocketMQReady condition (pure). The failure is classified by the
/// client (<see cref="RocketMqFailure"/>, as the adapter classifies its own); the reason and the
/// message are chosen here. Messages name the access key, never the secret.
/// </summary>
internal static class ProbeVerdict
{
    public static ConditionState Healthy(ProbeTarget target, int queues) =>
        ConditionState.True(RocketMqReasons.ConditionType, RocketMqReasons.Reachable,
            string.Create(CultureInfo.InvariantCulture, $"the proxy at {target.Endpoints} routes topic {target.Topic} to {queues} queues"));

    public static ConditionState NotChecked(string why) =>
        ConditionState.Unknown(RocketMqReasons.ConditionType, RocketMqReasons.NotChecked, why);

    public static ConditionState Failed(ProbeTarget target, Exception failure)
    {
        var state = Classify(target, failure);
        // A proxy could echo anything back; the condition never carries a credential value.
        return state with { Message = state.Message is null ? null : Redact(state.Message, target.SecretKey, target.SecurityToken) };
    }

    /// <summary>The RocketMQReady reason and a message naming what to fix, for the client's classification of the failure.</summary>
    private static ConditionState Classify(ProbeTarget target, Exception exception) => RocketMqFailure.Of(exception) switch
    {
        { Kind: RocketMqFailureKind.TlsHandshakeFailed, Cause: var cause } => False(RocketMqReasons.TlsHandshakeFailed,
            $"{cause} with the proxy at {target.Endpoints}; check spec.tls and spec.caCert"),
        { Kind: RocketMqFailureKind.Unreachable, Cause: var cause } => False(RocketMqReasons.ProxyUnreachable,
            $"cannot reach the RocketMQ proxy at {target.Endpoints}: {cause}"),
        { Kind: RocketMqFailureKind.Unauthorized, Cause: var cause } => False(RocketMqReasons.Unauthorized,
            $"the proxy at {target.Endpoints} rejected access key {KeyName(target)}: {cause}; check spec.credentials"),
        { Kind: RocketMqFailureKind.Forbidden, Cause: var cause } => False(RocketMqReasons.Forbidden,
            $"access key {KeyName(target)} may not consume topic {target.Topic}: {cause}"),
        { Kind: RocketMqFailureKind.TopicNotFound, Cause: var cause } => False(RocketMqReasons.TopicNotFound,
            $"topic {target.Topic}{InNamespace(target)} does not exist on the proxy at {target.Endpoints}: {cause}"),
        { Kind: RocketMqFailureKind.ErrorStatus, Cause: var cause } => False(RocketMqReasons.ProxyError,
            $"the proxy at {target.Endpoints} answered the route query for topic {target.Topic} with {cause}"),
        { Cause: var cause } => False(RocketMqReasons.ProxyError, $"the route query to {target.Endpoints} failed: {cause}"),
    };

    private static string Redact(string message, params string?[] values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Aggregate(message, (text, value) => text.Replace(value!, "<redacted>", StringComparison.Ordinal));

    private static ConditionState False(string reason, string message) =>
        ConditionState.False(RocketMqReasons.ConditionType, reason, message);

    private static string KeyName(ProbeTarget target) => target.AccessKey is { Length: > 0 } key ? $"\"{key}\"" : "(none configured)";

    private static string InNamespace(ProbeTarget target) => target.Namespace.Length > 0 ? $" (RocketMQ namespace {target.Namespace})" : string.Empty;
}
