using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// The one pooled HttpClient every delivery shares: keep-alive connections recycled every few
/// minutes (so DNS and endpoint changes are picked up), one connection per concurrent delivery,
/// and K_CA_CERTS and K_DEAD_LETTER_SINK_CA_CERTS trusted in addition to the system roots.
/// </summary>
internal static class SinkHttpClientFactory
{
    public static HttpClient Create(SinkOptions sink, int maxInFlight)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxConnectionsPerServer = maxInFlight,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = sink.Timeout < TimeSpan.FromSeconds(10) ? sink.Timeout : TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // One client for sink and dead-letter sink: it trusts both destinations' CA certificates.
        var extraRoots = new X509Certificate2Collection();
        extraRoots.AddRange(sink.CaCertificates ?? []);
        extraRoots.AddRange(sink.DeadLetterCaCertificates ?? []);
        if (extraRoots.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                TrustWithExtraRoots(extraRoots, certificate, chain, errors);
        }

        // Timeouts are per attempt (a CancellationToken per request), not per client.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The HTTP version rule: HTTP/1.1 unless K_SINK_HTTP2 is true; then an http:// sink gets
    /// HTTP/2 with prior knowledge (h2c) and an https:// sink HTTP/2 negotiated by ALPN, falling
    /// back to HTTP/1.1 when the server does not offer it.
    /// </summary>
    public static (Version Version, HttpVersionPolicy Policy) VersionFor(Uri target, bool http2) =>
        !http2 ? (HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower)
        : target.Scheme == Uri.UriSchemeHttp ? (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
        : (HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower);

    internal static bool TrustWithExtraRoots(X509Certificate2Collection extraRoots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong host name or a missing certificate is never rescued by extra roots.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
