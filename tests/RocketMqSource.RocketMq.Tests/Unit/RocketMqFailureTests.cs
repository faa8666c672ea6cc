using System.Net.Sockets;
using System.Security.Authentication;

namespace RocketMqSource.RocketMq.Tests.Unit;

/// <summary>The one classification of RocketMQ failures the adapter's readiness and the controller's RocketMQReady both use.</summary>
public class RocketMqFailureTests
{
    public static TheoryData<Exception, RocketMqFailureKind, string> Failures => new()
    {
        { new RpcException(GrpcStatusCode.Unavailable, "Error connecting", new SocketException((int)SocketError.ConnectionRefused)), RocketMqFailureKind.Unreachable, "connection refused" },
        { new RpcException(GrpcStatusCode.Unavailable, "broken pipe"), RocketMqFailureKind.Unreachable, "broken pipe" },
        { new RpcException(GrpcStatusCode.DeadlineExceeded, "deadline"), RocketMqFailureKind.Unreachable, "no answer before the deadline" },
        { new RpcException(GrpcStatusCode.Unavailable, "ssl", new AuthenticationException("remote certificate is invalid")), RocketMqFailureKind.TlsHandshakeFailed, "TLS handshake failed: remote certificate is invalid" },
        { new RpcException(GrpcStatusCode.Unimplemented, "no such method"), RocketMqFailureKind.CallFailed, "Unimplemented: no such method" },
        { new UnauthorizedException(40100, "UNAUTHORIZED", "signature verification failed"), RocketMqFailureKind.Unauthorized, "UNAUTHORIZED (40100) signature verification failed" },
        { new ForbiddenException(40300, "FORBIDDEN", "no permission"), RocketMqFailureKind.Forbidden, "FORBIDDEN (40300) no permission" },
        { new NotFoundException(40402, "TOPIC_NOT_FOUND", "no route"), RocketMqFailureKind.TopicNotFound, "TOPIC_NOT_FOUND (40402) no route" },
        { new NotFoundException(40401, "CONSUMER_GROUP_NOT_FOUND", "no group"), RocketMqFailureKind.ErrorStatus, "CONSUMER_GROUP_NOT_FOUND (40401) no group" },
        { new InternalErrorException(50001, "INTERNAL_SERVER_ERROR", "boom"), RocketMqFailureKind.ErrorStatus, "INTERNAL_SERVER_ERROR (50001) boom" },
        { new InvalidOperationException("a bug"), RocketMqFailureKind.Unexpected, "a bug" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_one_kind_and_a_cause_a_person_reads(Exception failure, RocketMqFailureKind kind, string cause)
    {
        var classified = RocketMqFailure.Of(failure);

        Assert.Equal((kind, cause), (classified.Kind, classified.Cause));
        Assert.Equal(kind != RocketMqFailureKind.Unexpected, classified.Expected);
    }
}
