using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq;

/// <summary>Maps RocketMQ status codes to typed exceptions and retry decisions (pure).</summary>
internal static class StatusMapper
{
    public static bool IsOk(Code code) => code is Code.Ok or Code.MultipleResults;

    /// <summary>Throws the typed exception for a non-OK <paramref name="status"/>.</summary>
    public static void ThrowIfNotOk(Status? status, string? requestId)
    {
        if (status is null)
        {
            throw ToException(Code.InternalError, "response carried no status", requestId);
        }

        if (!IsOk(status.Code))
        {
            throw ToException(status.Code, status.Message, requestId);
        }
    }

    public static ClientException ToException(Code code, string message, string? requestId = null)
    {
        var number = (int)code;
        var name = CodeName(code);
        return code switch
        {
            Code.Unauthorized => new UnauthorizedException(number, name, message, requestId),
            Code.PaymentRequired => new PaymentRequiredException(number, name, message, requestId),
            Code.Forbidden => new ForbiddenException(number, name, message, requestId),
            Code.NotFound or Code.MessageNotFound or Code.TopicNotFound or Code.ConsumerGroupNotFound
                or Code.OffsetNotFound => new NotFoundException(number, name, message, requestId),
            Code.PayloadTooLarge or Code.MessageBodyTooLarge => new PayloadTooLargeException(number, name, message, requestId),
            Code.TooManyRequests or Code.LiteTopicQuotaExceeded or Code.LiteSubscriptionQuotaExceeded =>
                new TooManyRequestsException(number, name, message, requestId),
            Code.RequestHeaderFieldsTooLarge or Code.MessagePropertiesTooLarge =>
                new RequestHeaderFieldsTooLargeException(number, name, message, requestId),
            Code.InternalError or Code.InternalServerError or Code.HaNotAvailable =>
                new InternalErrorException(number, name, message, requestId),
            Code.ProxyTimeout or Code.MasterPersistenceTimeout or Code.SlavePersistenceTimeout or Code.RequestTimeout =>
                new ProxyTimeoutException(number, name, message, requestId),
            Code.NotImplemented or Code.Unsupported or Code.VersionUnsupported or Code.VerifyFifoMessageUnsupported =>
                new UnsupportedException(number, name, message, requestId),
            _ when number is >= 40000 and < 50000 => new BadRequestException(number, name, message, requestId),
            _ => new ClientException(number, name, message, requestId),
        };
    }

    /// <summary>
    /// Whether a send that failed this way may succeed when tried again: throttling, timeouts,
    /// internal failures and transport unavailability. Request errors never do.
    /// </summary>
    public static bool IsRetryable(Exception exception) => exception switch
    {
        TooManyRequestsException or ProxyTimeoutException or InternalErrorException => true,
        RpcException rpc => rpc.StatusCode is GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded
            or GrpcStatusCode.Internal or GrpcStatusCode.ResourceExhausted or GrpcStatusCode.Unknown,
        _ => false,
    };

    /// <summary>The protocol name of a code (e.g. TOO_MANY_REQUESTS), as the proxy writes it.</summary>
    public static string CodeName(Code code) =>
        CodeDescriptor.FindValueByNumber((int)code)?.Name ?? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Google.Protobuf.Reflection.EnumDescriptor CodeDescriptor =
        DefinitionReflection.Descriptor.EnumTypes.Single(type => type.Name == nameof(Code));
}
