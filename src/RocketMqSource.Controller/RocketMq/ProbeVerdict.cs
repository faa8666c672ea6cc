using System.Globalization;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// Turns a check's outcome into the RocketMQReady condition (pure). Codes as in apache/rocketmq-apis
/// definition.proto (UNAUTHORIZED 40100, FORBIDDEN 40300, TOPIC_NOT_FOUND 40402); the proxy answers a
/// route query for a topic the name server does not know with TOPIC_NOT_FOUND (apache/rocketmq
/// proxy/.../grpc/v2/common/ResponseBuilder.java). Messages name the access key, never the secret.
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

    private static ConditionState Classify(ProbeTarget target, Exception failure) => failure switch
    {
        RpcException { IsTlsFailure: true } tls => False(RocketMqReasons.TlsHandshakeFailed,
            $"{tls.TransportCause} with the proxy at {target.Endpoints}; check spec.tls and spec.caCert"),
        RpcException { IsUnavailable: true } or RpcException { IsDeadlineExceeded: true } => False(RocketMqReasons.ProxyUnreachable,
            $"cannot reach the RocketMQ proxy at {target.Endpoints}: {Cause((RpcException)failure)}"),
        UnauthorizedException denied => False(RocketMqReasons.Unauthorized,
            $"the proxy at {target.Endpoints} rejected access key {KeyName(target)}: {Answer(denied)}; check spec.credentials"),
        ForbiddenException forbidden => False(RocketMqReasons.Forbidden,
            $"access key {KeyName(target)} may not consume topic {target.Topic}: {Answer(forbidden)}"),
        NotFoundException { CodeName: "TOPIC_NOT_FOUND" } missing => False(RocketMqReasons.TopicNotFound,
            $"topic {target.Topic}{InNamespace(target)} does not exist on the proxy at {target.Endpoints}: {Answer(missing)}"),
        ClientException other => False(RocketMqReasons.ProxyError,
            $"the proxy at {target.Endpoints} answered the route query for topic {target.Topic} with {Answer(other)}"),
        RpcException rpc => False(RocketMqReasons.ProxyError,
            $"the route query to {target.Endpoints} failed: {rpc.StatusCode}: {rpc.Detail}"),
        _ => False(RocketMqReasons.ProxyError, $"the route query to {target.Endpoints} failed: {failure.Message}"),
    };

    private static string Redact(string message, params string?[] values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Aggregate(message, (text, value) => text.Replace(value!, "<redacted>", StringComparison.Ordinal));

    private static ConditionState False(string reason, string message) =>
        ConditionState.False(RocketMqReasons.ConditionType, reason, message);

    private static string Cause(RpcException failure) =>
        failure.IsDeadlineExceeded ? "no answer before the deadline"
        : failure.TransportCause ?? failure.Detail;

    private static string Answer(ClientException failure) => $"{failure.CodeName} ({failure.ResponseCode}) {failure.ServerMessage}";

    private static string KeyName(ProbeTarget target) => target.AccessKey is { Length: > 0 } key ? $"\"{key}\"" : "(none configured)";

    private static string InNamespace(ProbeTarget target) => target.Namespace.Length > 0 ? $" (RocketMQ namespace {target.Namespace})" : string.Empty;
}
