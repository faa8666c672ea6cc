using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>What a RocketMQ failure means for the adapter, in words (pure).</summary>
/// <param name="Reason">The readiness reason: connecting, tls handshake failed, unauthorized, forbidden, topic not found, rocketmq error.</param>
/// <param name="Cause">The cause as a person reads it ("connection refused", "UNAUTHORIZED (40100) signature verification failed").</param>
/// <param name="Expected">False for failures no RocketMQ answer explains: those are logged with their stack trace.</param>
internal sealed record RocketMqFailure(string Reason, string Cause, bool Expected)
{
    public static RocketMqFailure Of(Exception failure) => failure switch
    {
        RpcException { IsTlsFailure: true } tls => new("tls handshake failed", tls.TransportCause!, true),
        RpcException { TransportCause: { } cause } => new("connecting", cause, true),
        RpcException { IsDeadlineExceeded: true } => new("connecting", "no answer before the deadline", true),
        RpcException rpc => new("connecting", $"{rpc.StatusCode}: {rpc.Detail}", true),
        UnauthorizedException denied => new("unauthorized", Answer(denied), true),
        ForbiddenException forbidden => new("forbidden", Answer(forbidden), true),
        NotFoundException { CodeName: "TOPIC_NOT_FOUND" } missing => new("topic not found", Answer(missing), true),
        ClientException other => new("rocketmq error", Answer(other), true),
        _ => new("connecting", failure.Message, false),
    };

    private static string Answer(ClientException failure) => $"{failure.CodeName} ({failure.ResponseCode}) {failure.ServerMessage}";
}
