using System.Net;
using System.Net.Http;
using Grpc.Net.Client;

namespace RocketMqSource.RocketMq.Connection;

/// <summary>
/// The gRPC channel to one proxy endpoint: Grpc.Net.Client over a <see cref="SocketsHttpHandler"/>
/// set up for a client that keeps its connections for hours (h2c or TLS, keepalive pings, more
/// HTTP/2 connections when one runs out of streams).
/// </summary>
internal static class ProxyChannel
{
    /// <summary>Largest response accepted: one received message (body ≤ 4 MiB plus properties) with room to spare.</summary>
    public const int MaxReceiveMessageSize = 16 * 1024 * 1024;

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Pings while calls are open (the Telemetry stream always is) find a connection a load balancer
    /// dropped silently. The proxy's gRPC server (grpc-java; apache/rocketmq GrpcServerBuilder keeps
    /// the default permitKeepAliveTime of 5 min) counts a ping as abuse only when it wrote no headers
    /// or data since the last one (grpc-java NettyServerHandler.WriteMonitoringFrameWriter resets the
    /// count); our heartbeats every 10 s get answers in between.
    /// </summary>
    public static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A connection without calls for this long is closed (the proxy closes idle ones after 120 s anyway).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Cap of the pause between reconnect attempts after the proxy became unreachable (gRPC's default
    /// is 120 s): a restarted proxy is found again within seconds.
    /// </summary>
    public static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(5);

    public static GrpcChannel Create(EndpointAddress endpoint, ClientConfig config) =>
        GrpcChannel.ForAddress(Address(endpoint, config.SslEnabled), new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(config),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxReceiveMessageSize,
            MaxReconnectBackoff = MaxReconnectBackoff,
        });

    /// <summary>https for TLS, http (h2c with prior knowledge) otherwise; IPv6 hosts in brackets.</summary>
    public static Uri Address(EndpointAddress endpoint, bool tls) =>
        new UriBuilder(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, endpoint.Host, endpoint.Port).Uri;

    public static SocketsHttpHandler CreateHandler(ClientConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = IdleTimeout,
            KeepAlivePingDelay = KeepAlivePingDelay,
            KeepAlivePingTimeout = KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        if (config.SslEnabled)
        {
            handler.SslOptions.RemoteCertificateValidationCallback =
                TlsTrust.CreateValidator(config.TrustedCertificates);
        }

        return handler;
    }
}
