using RocketMqSource.Controller.Api;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// Classifies a failed check (pure): which RocketMQ problem it is and what the client or proxy
/// said. The proxy answers a route query for a topic the name server does not know with
/// TOPIC_NOT_FOUND (apache/rocketmq proxy/.../grpc/v2/common/ResponseBuilder.java). The reason and
/// message are the status's to choose (RocketMQSourceStatus.PropagateRocketMq).
/// </summary>
internal static class ProbeVerdict
{
    public static RocketMqFailedCheck Failed(ProbeTarget target, Exception failure)
    {
        var (problem, cause) = Classify(failure);
        // A proxy could echo anything back; the condition never carries a credential value.
        return new RocketMqFailedCheck(target.Named, problem, Redact(cause, target.SecretKey, target.SecurityToken));
    }

    private static (RocketMqProblem Problem, string Cause) Classify(Exception failure) => failure switch
    {
        RpcException { IsTlsFailure: true } tls => (RocketMqProblem.TlsHandshakeFailed, tls.TransportCause ?? tls.Detail),
        RpcException { IsDeadlineExceeded: true } => (RocketMqProblem.ProxyUnreachable, "no answer before the deadline"),
        RpcException { IsUnavailable: true } unavailable => (RocketMqProblem.ProxyUnreachable, unavailable.TransportCause ?? unavailable.Detail),
        UnauthorizedException denied => (RocketMqProblem.Unauthorized, Answer(denied)),
        ForbiddenException forbidden => (RocketMqProblem.Forbidden, Answer(forbidden)),
        NotFoundException { CodeName: "TOPIC_NOT_FOUND" } missing => (RocketMqProblem.TopicNotFound, Answer(missing)),
        ClientException other => (RocketMqProblem.ProxyRefused, Answer(other)),
        RpcException rpc => (RocketMqProblem.QueryFailed, $"{rpc.StatusCode}: {rpc.Detail}"),
        _ => (RocketMqProblem.QueryFailed, failure.Message),
    };

    private static string Redact(string message, params string?[] values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Aggregate(message, (text, value) => text.Replace(value!, "<redacted>", StringComparison.Ordinal));

    private static string Answer(ClientException failure) => $"{failure.CodeName} ({failure.ResponseCode}) {failure.ServerMessage}";
}
