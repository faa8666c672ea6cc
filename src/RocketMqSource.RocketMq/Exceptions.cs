namespace RocketMqSource.RocketMq;

// RocketMQ reports errors in-band as a Status{code, message}. Each family of codes has its own
// exception type (as in the official clients); all carry the numeric code, its name and the
// server's message. Client-side validation raises the same types with the code the proxy would use.

/// <summary>A RocketMQ request failed with a non-OK status code.</summary>
public class ClientException : Exception
{
    public ClientException(int responseCode, string codeName, string serverMessage, string? requestId = null)
        : base(FormatMessage(codeName, responseCode, serverMessage, requestId))
    {
        ResponseCode = responseCode;
        CodeName = codeName;
        ServerMessage = serverMessage;
        RequestId = requestId;
    }

    /// <summary>The numeric RocketMQ code (e.g. 40100).</summary>
    public int ResponseCode { get; }

    /// <summary>The code's name (e.g. UNAUTHORIZED).</summary>
    public string CodeName { get; }

    /// <summary>The status message the proxy sent (or the client-side reason).</summary>
    public string ServerMessage { get; }

    /// <summary>The x-mq-request-id of the failed request; null for client-side failures.</summary>
    public string? RequestId { get; }

    private static string FormatMessage(string codeName, int code, string message, string? requestId) =>
        requestId is null ? $"{codeName} ({code}): {message}" : $"{codeName} ({code}): {message} [request {requestId}]";
}

/// <summary>40xxx: the request was malformed or violated a rule (topic, tag, key, filter, …).</summary>
public sealed class BadRequestException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>40100: authentication failed.</summary>
public sealed class UnauthorizedException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>40200: payment required.</summary>
public sealed class PaymentRequiredException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>40300: the credentials lack permission.</summary>
public sealed class ForbiddenException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>404xx: topic, group or other resource not found.</summary>
public sealed class NotFoundException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>413xx: message body too large.</summary>
public sealed class PayloadTooLargeException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>42900: throttled by the proxy.</summary>
public sealed class TooManyRequestsException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>431xx: request headers or message properties too large.</summary>
public sealed class RequestHeaderFieldsTooLargeException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>500xx: the proxy or broker failed internally.</summary>
public sealed class InternalErrorException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>504xx / 40800: the proxy or the broker's persistence timed out.</summary>
public sealed class ProxyTimeoutException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);

/// <summary>501xx / 505xx: the operation or version is not supported.</summary>
public sealed class UnsupportedException(int responseCode, string codeName, string serverMessage, string? requestId = null)
    : ClientException(responseCode, codeName, serverMessage, requestId);
