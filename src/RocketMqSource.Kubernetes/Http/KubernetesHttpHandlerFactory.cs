using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RocketMqSource.Kubernetes.Configuration;

namespace RocketMqSource.Kubernetes;

/// <summary>Builds the HTTP handler chain for a configuration: TLS trust, client certificate, bearer token.</summary>
internal static class KubernetesHttpHandlerFactory
{
    public static HttpMessageHandler Create(KubernetesClientConfiguration config)
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };

        if (config.ClientCertificate is { } clientCertificate)
        {
            sockets.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (config.SkipTlsVerify)
        {
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.SslCaCerts is { Count: > 0 } cas)
        {
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ServerCertificateValidation.IsTrusted(certificate, errors, cas);
        }

        var token = TokenSourceFor(config);
        return token is null ? sockets : new BearerTokenHandler(token) { InnerHandler = sockets };
    }

    internal static ITokenSource? TokenSourceFor(KubernetesClientConfiguration config)
    {
        if (!string.IsNullOrEmpty(config.TokenFile))
        {
            return new FileTokenSource(config.TokenFile, config.TokenRefreshInterval, config.TimeProvider);
        }

        return string.IsNullOrEmpty(config.AccessToken) ? null : new StaticTokenSource(config.AccessToken);
    }
}

/// <summary>Adds "Authorization: Bearer" from the token source to every request.</summary>
internal sealed class BearerTokenHandler(ITokenSource tokens) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (tokens.GetToken() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

internal static class ServerCertificateValidation
{
    /// <summary>
    /// Accepts the server certificate when its chain ends in one of the configured CAs
    /// (custom root trust) and the host name matched.
    /// </summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection cas)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ||
            errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
