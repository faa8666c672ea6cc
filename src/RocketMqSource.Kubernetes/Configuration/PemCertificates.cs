using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.Kubernetes.Configuration;

internal static class PemCertificates
{
    /// <summary>
    /// Pairs a PEM certificate with its PEM private key (PKCS#1 RSA, SEC1 EC or PKCS#8).
    /// The pair is round-tripped through PKCS#12 so TLS stacks that need a persisted key accept it.
    /// </summary>
    public static X509Certificate2 WithKey(string certificatePem, string keyPem)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
