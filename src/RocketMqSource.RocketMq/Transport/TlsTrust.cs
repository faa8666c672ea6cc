using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>Server certificate validation for TLS channels (system trust, extra CAs, or none).</summary>
internal static class TlsTrust
{
    public static RemoteCertificateValidationCallback? CreateValidator(GrpcChannelOptions options)
    {
        if (options.SkipCertificateVerification)
        {
            return static (_, _, _, _) => true;
        }

        if (options.TrustedCertificates.Count == 0)
        {
            return null;
        }

        var anchors = options.TrustedCertificates;
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            // Only chain problems can be fixed by our anchors; a name mismatch stays fatal.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
