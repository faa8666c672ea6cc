using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>Reads grpc-status/grpc-message from response headers or trailers (pure).</summary>
internal static class GrpcResponseStatus
{
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";

    /// <summary>The status in <paramref name="headers"/>, or null when grpc-status is absent.</summary>
    public static (GrpcStatusCode Code, string Message)? TryRead(HttpHeaders headers)
    {
        if (!headers.TryGetValues(StatusHeader, out var values))
        {
            return null;
        }

        var raw = values.FirstOrDefault();
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return (GrpcStatusCode.Unknown, $"unparseable grpc-status '{raw}'");
        }

        var message = headers.TryGetValues(MessageHeader, out var messages)
            ? DecodeMessage(messages.FirstOrDefault() ?? string.Empty)
            : string.Empty;
        return ((GrpcStatusCode)code, message);
    }

    /// <summary>grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec).</summary>
    public static string DecodeMessage(string encoded) =>
        encoded.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(encoded) : encoded;

    /// <summary>The gRPC code a non-200 HTTP status stands for when no grpc-status was sent.</summary>
    public static GrpcStatusCode FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => GrpcStatusCode.Internal,
        HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
        HttpStatusCode.NotFound => GrpcStatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
