using System.Security.Cryptography.X509Certificates;
using System.Text;
using RocketMqSource.Kubernetes.Configuration;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class KubeConfigTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
    private readonly TestCertificates certificates = TestCertificates.Shared;

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void CurrentContextSelectsClusterUserAndNamespace()
    {
        var config = KubeConfigLoader.Load(TwoContexts(), folder, contextName: null);

        Assert.Equal("https://prod.example:6443", config.Host);
        Assert.Equal("shop", config.Namespace);
        Assert.Equal("prod", config.CurrentContext);
        Assert.Equal("prod-token", config.AccessToken);
        Assert.Equal(certificates.Ca.Thumbprint, Assert.Single(config.SslCaCerts!).Thumbprint);
        Assert.False(config.SkipTlsVerify);
    }

    [Fact]
    public void NamedContextOverridesCurrentContext()
    {
        var config = KubeConfigLoader.Load(TwoContexts(), folder, "dev");

        Assert.Equal("https://127.0.0.1:8443", config.Host);
        Assert.Equal("default", config.Namespace);
        Assert.True(config.SkipTlsVerify);
        Assert.Null(config.SslCaCerts);
        Assert.Equal(Path.Combine(folder, "dev.token"), config.TokenFile);
    }

    [Fact]
    public void UnknownContextIsAnError()
    {
        var e = Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(TwoContexts(), folder, "staging"));
        Assert.Contains("staging", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaClientCertificateAndCaFromRelativeFiles()
    {
        File.WriteAllText(Path.Combine(folder, "ca.pem"), certificates.CaPem);
        Directory.CreateDirectory(Path.Combine(folder, "keys"));
        File.WriteAllText(Path.Combine(folder, "keys", "client.crt"), certificates.RsaClientCertificatePem);
        File.WriteAllText(Path.Combine(folder, "keys", "client.key"), certificates.RsaClientKeyPem);
        var yaml = Single(
            cluster: "server: https://k:6443\n    certificate-authority: ca.pem",
            user: "client-certificate: keys/client.crt\n    client-key: keys/client.key");

        var config = KubeConfigLoader.Load(yaml, folder, null);

        Assert.Equal(certificates.Ca.Thumbprint, Assert.Single(config.SslCaCerts!).Thumbprint);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Contains("CN=rsa-user", config.ClientCertificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void EcClientCertificateFromInlineData()
    {
        var yaml = Single(
            cluster: $"server: https://k:6443\n    certificate-authority-data: {Base64(certificates.CaPem)}",
            user: $"client-certificate-data: {Base64(certificates.EcClientCertificatePem)}\n    client-key-data: {Base64(certificates.EcClientKeyPem)}");

        var config = KubeConfigLoader.Load(yaml, folder, null);

        Assert.True(config.ClientCertificate!.HasPrivateKey);
        using var key = config.ClientCertificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
    }

    [Fact]
    public void CertificateWithoutKeyAndExecPluginsAreRefused()
    {
        var halfCertificate = Single("server: https://k", $"client-certificate-data: {Base64(certificates.EcClientCertificatePem)}");
        Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(halfCertificate, folder, null));

        var exec = Single("server: https://k", "exec:\n      command: aws");
        Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(exec, folder, null));
    }

    [Fact]
    public void BuildConfigFromConfigFileResolvesPathsAgainstTheFilesFolder()
    {
        File.WriteAllText(Path.Combine(folder, "dev.token"), "dev-token");
        var path = Path.Combine(folder, "config");
        File.WriteAllText(path, TwoContexts());

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, "dev");

        Assert.Equal(Path.Combine(folder, "dev.token"), config.TokenFile);
        Assert.Equal("dev-token", KubernetesHttpHandlerFactory.TokenSourceFor(config)!.GetToken());
    }

    private string TwoContexts() => $"""
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: prod-cluster
          cluster:
            server: https://prod.example:6443
            certificate-authority-data: {Base64(certificates.CaPem)}
        - name: dev-cluster
          cluster:
            server: https://127.0.0.1:8443
            insecure-skip-tls-verify: true
        users:
        - name: prod-user
          user:
            token: prod-token
        - name: dev-user
          user:
            tokenFile: dev.token
        contexts:
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-user
            namespace: shop
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
        """;

    private static string Single(string cluster, string user) => $"""
        current-context: only
        clusters:
        - name: c
          cluster:
            {cluster}
        users:
        - name: u
          user:
            {user}
        contexts:
        - name: only
          context:
            cluster: c
            user: u
        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
