using System.Net.Sockets;
using System.Security.Authentication;

namespace RocketMqSource.RocketMq;

/// <summary>Names why a connection to the proxy failed, from the exceptions the HTTP stack raised (pure).</summary>
internal static class TransportFailure
{
    public static (string? Cause, bool IsTls) Describe(Exception? failure)
    {
        string? tls = null;
        for (var current = failure; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException socket:
                    return (SocketCause(socket), false);
                case AuthenticationException authentication:
                    tls = "TLS handshake failed: " + authentication.Message;
                    break;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } when tls is null:
                    tls = "TLS handshake failed";
                    break;
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return ("name not resolved", false);
            }
        }

        return tls is null ? (null, false) : (tls, true);
    }

    /// <summary>The socket error in words, as `connect(2)` reports it ("connection refused").</summary>
    private static string SocketCause(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "name not resolved",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.ConnectionReset => "connection reset",
        _ => socket.Message.ToLowerInvariant(),
    };
}
