using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>Starts the API-server double and the official client for it.</summary>
internal sealed class ApiServerFixture : IAsyncDisposable
{
    public const string Token = "test-token";

    private ApiServerFixture(KubernetesApiServerDouble server, k8s.Kubernetes client) => (Server, Client) = (server, client);

    public KubernetesApiServerDouble Server { get; }

    public k8s.Kubernetes Client { get; }

    public static async Task<ApiServerFixture> StartAsync(KubernetesApiServerOptions? options = null)
    {
        var server = await KubernetesApiServerDouble.StartAsync(options ?? new KubernetesApiServerOptions { BearerToken = Token });
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString(), AccessToken = Token });
        return new ApiServerFixture(server, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A throwaway CA with server and client certificates, as PEM.</summary>
internal sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> SharedLazy = new(() => new TestCertificates());
    private readonly RSA caKey = RSA.Create(2048);

    private TestCertificates()
    {
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=kubernetes", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverCert = serverRequest.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var serverWithKey = serverCert.CopyWithPrivateKey(serverKey);
        Server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);

        using var rsaClientKey = RSA.Create(2048);
        var rsaClient = new CertificateRequest("CN=rsa-user, O=system:masters", rsaClientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        RsaClientCertificatePem = Sign(rsaClient, [5, 6, 7, 8]).ExportCertificatePem();
        RsaClientKeyPem = rsaClientKey.ExportRSAPrivateKeyPem();

        using var ecClientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecClient = new CertificateRequest("CN=ec-user", ecClientKey, HashAlgorithmName.SHA256);
        EcClientCertificatePem = Sign(ecClient, [9, 10, 11, 12]).ExportCertificatePem();
        EcClientKeyPem = ecClientKey.ExportECPrivateKeyPem();
    }

    /// <summary>One set per test run: key generation is slow.</summary>
    public static TestCertificates Shared => SharedLazy.Value;

    public X509Certificate2 Ca { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public X509Certificate2 Server { get; }

    public string RsaClientCertificatePem { get; }

    public string RsaClientKeyPem { get; }

    public string EcClientCertificatePem { get; }

    public string EcClientKeyPem { get; }

    private X509Certificate2 Sign(CertificateRequest request, byte[] serial)
    {
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        // The CA is RSA while a client key may be EC, so sign with the CA's key explicitly.
        var signer = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        return request.Create(Ca.SubjectName, signer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
    }
}
