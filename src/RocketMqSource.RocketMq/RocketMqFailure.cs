namespace RocketMqSource.RocketMq;

/// <summary>What a failed RocketMQ call means for whoever has to act on it (not part of the official clients).</summary>
public enum RocketMqFailureKind
{
    /// <summary>The proxy could not be reached, the connection broke, or it did not answer in time.</summary>
    Unreachable,

    /// <summary>The TLS handshake with the proxy failed (untrusted certificate, plaintext port, …).</summary>
    TlsHandshakeFailed,

    /// <summary>UNAUTHORIZED (40100): the signature or access key was refused.</summary>
    Unauthorized,

    /// <summary>FORBIDDEN (40300): the credentials may not do this.</summary>
    Forbidden,

    /// <summary>TOPIC_NOT_FOUND (40402).</summary>
    TopicNotFound,

    /// <summary>Another RocketMQ status the proxy answered with.</summary>
    ErrorStatus,

    /// <summary>The call ended with another gRPC status (the proxy was reached).</summary>
    CallFailed,

    /// <summary>Not a RocketMQ or gRPC failure at all: a bug or an environment problem, worth a stack trace.</summary>
    Unexpected,
}

/// <summary>
/// A RocketMQ failure classified once, for the adapter's readiness and logs and the controller's
/// RocketMQReady condition. Codes as in apache/rocketmq-apis definition.proto; the proxy answers a
/// route query for a topic the name server does not know with TOPIC_NOT_FOUND (apache/rocketmq
/// proxy/.../grpc/v2/common/ResponseBuilder.java).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Cause">The cause as a person reads it ("connection refused", "UNAUTHORIZED (40100) signature verification failed").</param>
public sealed record RocketMqFailure(RocketMqFailureKind Kind, string Cause)
{
    /// <summary>False for failures no RocketMQ answer or transport error explains.</summary>
    public bool Expected => Kind != RocketMqFailureKind.Unexpected;

    public static RocketMqFailure Of(Exception failure) => failure switch
    {
        RpcException { IsTlsFailure: true } tls => new(RocketMqFailureKind.TlsHandshakeFailed, tls.TransportCause!),
        RpcException { TransportCause: { } cause } => new(RocketMqFailureKind.Unreachable, cause),
        RpcException { IsDeadlineExceeded: true } => new(RocketMqFailureKind.Unreachable, "no answer before the deadline"),
        RpcException { IsUnavailable: true } rpc => new(RocketMqFailureKind.Unreachable, rpc.Detail),
        RpcException rpc => new(RocketMqFailureKind.CallFailed, $"{rpc.StatusCode}: {rpc.Detail}"),
        UnauthorizedException denied => new(RocketMqFailureKind.Unauthorized, Answer(denied)),
        ForbiddenException forbidden => new(RocketMqFailureKind.Forbidden, Answer(forbidden)),
        NotFoundException { CodeName: "TOPIC_NOT_FOUND" } missing => new(RocketMqFailureKind.TopicNotFound, Answer(missing)),
        ClientException other => new(RocketMqFailureKind.ErrorStatus, Answer(other)),
        _ => new(RocketMqFailureKind.Unexpected, failure.Message),
    };

    private static string Answer(ClientException failure) => $"{failure.CodeName} ({failure.ResponseCode}) {failure.ServerMessage}";
}
