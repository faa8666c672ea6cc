using System.Text;
using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Configuration;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>Kubeconfig TLS settings end to end against the double serving HTTPS on loopback.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestCertificates certificates = TestCertificates.Shared;
    private KubernetesApiServerDouble server = null!;

    public async Task InitializeAsync() =>
        server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions
        {
            ServerCertificate = certificates.Server,
            RequestClientCertificate = true,
        });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task TrustsTheConfiguredCaAndPresentsTheClientCertificate()
    {
        var config = KubeConfigLoader.Load(
            Kubeconfig($"certificate-authority-data: {Base64(certificates.CaPem)}", $"client-certificate-data: {Base64(certificates.EcClientCertificatePem)}\n    client-key-data: {Base64(certificates.EcClientKeyPem)}"),
            ".", null);
        using var client = new KubernetesClient(config);

        var list = await client.ListAsync<JsonObject>(ResourceType.ConfigMaps, "default");

        Assert.Empty(list.Items);
        Assert.Contains("CN=ec-user", server.Requests[^1].ClientCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesAServerOutsideTheConfiguredCa()
    {
        using var otherCa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", otherCa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var config = KubeConfigLoader.Load(Kubeconfig($"certificate-authority-data: {Base64(other.ExportCertificatePem())}", "token: t"), ".", null);
        using var client = new KubernetesClient(config);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync<JsonObject>(ResourceType.ConfigMaps, "default"));
    }

    [Fact]
    public async Task InsecureSkipTlsVerifyAcceptsAnyServer()
    {
        using var client = new KubernetesClient(KubeConfigLoader.Load(Kubeconfig("insecure-skip-tls-verify: true", "token: t"), ".", null));

        var list = await client.ListAsync<JsonObject>(ResourceType.ConfigMaps, "default");

        Assert.Empty(list.Items);
        Assert.Null(server.Requests[^1].ClientCertificateSubject);
    }

    private string Kubeconfig(string clusterTls, string user) => $"""
        current-context: c
        clusters:
        - name: c
          cluster:
            server: {server.BaseUri}
            {clusterTls}
        users:
        - name: u
          user:
            {user}
        contexts:
        - name: c
          context:
            cluster: c
            user: u
        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
