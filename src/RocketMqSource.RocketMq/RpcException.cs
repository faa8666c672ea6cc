
namespace RocketMqSource.RocketMq;

/// <summary>
/// A gRPC call failed at the transport level: the proxy was unreachable, the deadline passed,
/// the call was cancelled, or the server ended it with a non-OK grpc-status.
/// RocketMQ's own (in-band) errors are reported as <see cref="ClientException"/> subclasses instead.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(GrpcStatusCode statusCode, string detail, Exception? innerException = null)
        : base($"gRPC call failed: {statusCode}: {detail}", innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        (TransportCause, IsTlsFailure) = TransportFailure.Describe(innerException is Grpc.Core.RpcException grpc ? grpc.Status.DebugException : innerException);
    }

    /// <summary>The gRPC status the call ended with.</summary>
    public GrpcStatusCode StatusCode { get; }

    /// <summary>The grpc-message (or a local description when the failure happened on this side).</summary>
    public string Detail { get; }

    /// <summary>
    /// The cause in a few words when the call never reached the proxy ("connection refused",
    /// "name or service not known", "TLS handshake failed: …"); null otherwise.
    /// </summary>
    public string? TransportCause { get; }

    /// <summary>The TLS handshake with the proxy failed (untrusted certificate, plaintext port, …).</summary>
    public bool IsTlsFailure { get; }

    /// <summary>The proxy could not be reached or the connection broke.</summary>
    public bool IsUnavailable => StatusCode == GrpcStatusCode.Unavailable;

    /// <summary>The call's deadline passed before it completed.</summary>
    public bool IsDeadlineExceeded => StatusCode == GrpcStatusCode.DeadlineExceeded;

    /// <summary>The caller cancelled the call (or the server reset the stream with CANCEL).</summary>
    public bool IsCancelled => StatusCode == GrpcStatusCode.Cancelled;

    /// <summary>
    /// Our public type for a failure Grpc.Net.Client reported: same code (both enums carry the wire
    /// values of grpc-status), its detail, and the original as the inner exception.
    /// </summary>
    internal static RpcException From(Grpc.Core.RpcException exception)
    {
        var code = (GrpcStatusCode)(int)exception.StatusCode;
        // Grpc.Net.Client calls a failed TLS handshake Internal (only socket and I/O errors become
        // Unavailable in its HttpExceptionResolver); grpc-core and grpc-java call any failure to
        // connect UNAVAILABLE, and so does IsUnavailable: the call never reached the proxy.
        if (code == GrpcStatusCode.Internal && NeverConnected(exception.Status.DebugException))
        {
            code = GrpcStatusCode.Unavailable;
        }

        return new RpcException(code, exception.Status.Detail, exception);
    }

    private static bool NeverConnected(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }
}
