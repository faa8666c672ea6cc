using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.RocketMq.Connection;

/// <summary>
/// Server certificate validation for TLS channels: system trust plus extra CAs. There is no way to
/// skip it: nothing we ship needs one, and a proxy with a private CA is trusted through its CA.
/// </summary>
internal static class TlsTrust
{
    /// <summary>Null keeps the system's validation; extra CAs only repair chain errors, never a name mismatch.</summary>
    public static RemoteCertificateValidationCallback? CreateValidator(IReadOnlyList<X509Certificate2> trustedCertificates)
    {
        if (trustedCertificates.Count == 0)
        {
            return null;
        }

        var anchors = trustedCertificates.ToArray();
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
