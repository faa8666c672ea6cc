using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class StatusAndBackoffTests
{
    [Theory]
    [InlineData((int)Code.BadRequest, typeof(BadRequestException))]
    [InlineData((int)Code.IllegalTopic, typeof(BadRequestException))]
    [InlineData((int)Code.InvalidReceiptHandle, typeof(BadRequestException))]
    [InlineData((int)Code.IllegalPollingTime, typeof(BadRequestException))]
    [InlineData((int)Code.Unauthorized, typeof(UnauthorizedException))]
    [InlineData((int)Code.PaymentRequired, typeof(PaymentRequiredException))]
    [InlineData((int)Code.Forbidden, typeof(ForbiddenException))]
    [InlineData((int)Code.TopicNotFound, typeof(NotFoundException))]
    [InlineData((int)Code.ConsumerGroupNotFound, typeof(NotFoundException))]
    [InlineData((int)Code.MessageBodyTooLarge, typeof(PayloadTooLargeException))]
    [InlineData((int)Code.TooManyRequests, typeof(TooManyRequestsException))]
    [InlineData((int)Code.MessagePropertiesTooLarge, typeof(RequestHeaderFieldsTooLargeException))]
    [InlineData((int)Code.InternalServerError, typeof(InternalErrorException))]
    [InlineData((int)Code.HaNotAvailable, typeof(InternalErrorException))]
    [InlineData((int)Code.ProxyTimeout, typeof(ProxyTimeoutException))]
    [InlineData((int)Code.MasterPersistenceTimeout, typeof(ProxyTimeoutException))]
    [InlineData((int)Code.VersionUnsupported, typeof(UnsupportedException))]
    [InlineData((int)Code.FailedToConsumeMessage, typeof(ClientException))]
    public void Codes_map_to_typed_exceptions_with_code_name_and_server_message(int codeNumber, System.Type expected)
    {
        var code = (Code)codeNumber;
        var exception = StatusMapper.ToException(code, "server says no", "req-7");

        Assert.IsType(expected, exception);
        Assert.Equal((int)code, exception.ResponseCode);
        Assert.Equal("server says no", exception.ServerMessage);
        Assert.Equal("req-7", exception.RequestId);
        Assert.Contains("server says no", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_names_are_the_protocol_names()
    {
        Assert.Equal("TOO_MANY_REQUESTS", StatusMapper.CodeName(Code.TooManyRequests));
        Assert.Equal("INVALID_RECEIPT_HANDLE", StatusMapper.ToException(Code.InvalidReceiptHandle, "x").CodeName);
    }

    [Fact]
    public void Ok_and_multiple_results_do_not_throw_but_a_missing_status_does()
    {
        StatusMapper.ThrowIfNotOk(new Status { Code = Code.Ok }, null);
        StatusMapper.ThrowIfNotOk(new Status { Code = Code.MultipleResults }, null);
        Assert.Throws<InternalErrorException>(() => StatusMapper.ThrowIfNotOk(null, null));
        Assert.Throws<ForbiddenException>(() => StatusMapper.ThrowIfNotOk(new Status { Code = Code.Forbidden }, null));
    }

    [Fact]
    public void Only_transient_failures_are_retryable()
    {
        Assert.True(StatusMapper.IsRetryable(StatusMapper.ToException(Code.TooManyRequests, "")));
        Assert.True(StatusMapper.IsRetryable(StatusMapper.ToException(Code.InternalError, "")));
        Assert.True(StatusMapper.IsRetryable(StatusMapper.ToException(Code.ProxyTimeout, "")));
        Assert.True(StatusMapper.IsRetryable(new RpcException(GrpcStatusCode.Unavailable, "down")));
        Assert.True(StatusMapper.IsRetryable(new RpcException(GrpcStatusCode.DeadlineExceeded, "slow")));
        Assert.False(StatusMapper.IsRetryable(new RpcException(GrpcStatusCode.Cancelled, "stop")));
        Assert.False(StatusMapper.IsRetryable(StatusMapper.ToException(Code.IllegalMessageTag, "")));
        Assert.False(StatusMapper.IsRetryable(StatusMapper.ToException(Code.Unauthorized, "")));
        Assert.False(StatusMapper.IsRetryable(StatusMapper.ToException(Code.TopicNotFound, "")));
    }

    [Fact]
    public void Exponential_backoff_grows_by_the_multiplier_up_to_the_cap()
    {
        var policy = new RetryPolicy
        {
            MaxAttempts = 3,
            ExponentialBackoff = new ExponentialBackoff
            {
                Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)),
                Max = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                Multiplier = 2,
            },
        };
        var backoff = RetryBackoff.FromProtocol(policy);

        Assert.Equal(TimeSpan.FromMilliseconds(10), backoff.DelayBeforeRetry(1));
        Assert.Equal(TimeSpan.FromMilliseconds(20), backoff.DelayBeforeRetry(2));
        Assert.Equal(TimeSpan.FromMilliseconds(640), backoff.DelayBeforeRetry(7));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayBeforeRetry(8));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayBeforeRetry(1000));
    }

    [Fact]
    public void Customized_backoff_walks_the_list_and_stays_on_the_last()
    {
        var policy = new RetryPolicy { MaxAttempts = 17, CustomizedBackoff = new CustomizedBackoff() };
        policy.CustomizedBackoff.Next.Add(Duration.FromTimeSpan(TimeSpan.FromSeconds(1)));
        policy.CustomizedBackoff.Next.Add(Duration.FromTimeSpan(TimeSpan.FromSeconds(5)));
        var backoff = RetryBackoff.FromProtocol(policy);

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayBeforeRetry(1));
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.DelayBeforeRetry(2));
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.DelayBeforeRetry(9));
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.Unavailable, GrpcStatusCode.Unavailable)]
    [InlineData(Grpc.Core.StatusCode.DeadlineExceeded, GrpcStatusCode.DeadlineExceeded)]
    [InlineData(Grpc.Core.StatusCode.Cancelled, GrpcStatusCode.Cancelled)]
    [InlineData(Grpc.Core.StatusCode.Unauthenticated, GrpcStatusCode.Unauthenticated)]
    [InlineData(Grpc.Core.StatusCode.ResourceExhausted, GrpcStatusCode.ResourceExhausted)]
    [InlineData(Grpc.Core.StatusCode.Internal, GrpcStatusCode.Internal)]
    public void Grpc_failures_become_our_rpc_exception_with_the_same_code_and_detail(Grpc.Core.StatusCode grpc, GrpcStatusCode expected)
    {
        var original = new Grpc.Core.RpcException(new Grpc.Core.Status(grpc, "what happened"));

        var mapped = RpcException.From(original);

        Assert.Equal(expected, mapped.StatusCode);
        Assert.Equal("what happened", mapped.Detail);
        Assert.Same(original, mapped.InnerException);
        Assert.Equal((grpc == Grpc.Core.StatusCode.Unavailable, grpc == Grpc.Core.StatusCode.DeadlineExceeded, grpc == Grpc.Core.StatusCode.Cancelled),
            (mapped.IsUnavailable, mapped.IsDeadlineExceeded, mapped.IsCancelled));
    }

    [Fact]
    public void A_call_that_never_reached_the_proxy_is_unavailable_even_when_grpc_calls_it_internal()
    {
        var handshake = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established");
        var tls = new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Internal, "Error starting gRPC call.", handshake));
        var broken = new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Internal, "bad frame", new InvalidDataException()));

        Assert.True(RpcException.From(tls).IsUnavailable);
        Assert.Equal(GrpcStatusCode.Internal, RpcException.From(broken).StatusCode);
    }
}
