using System.Text;
using k8s;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>
/// Out-of-cluster credentials the controller gets from the official client's kubeconfig loader
/// (KubernetesClientConfiguration.BuildConfigFromConfigFile), against the API-server double on
/// HTTPS: an exec credential plugin (what EKS, GKE and AKS kubeconfigs use), a client
/// certificate, and the cluster CA that must sign the server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the plugin is a shell script
public sealed class KubeconfigCredentialTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("k8s-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task AnExecPluginsTokenIsSentAsTheBearerToken()
    {
        await using var server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions
        {
            ServerCertificate = TestCertificates.Shared.Server,
            BearerToken = "token-from-plugin",
        });
        var plugin = Path.Combine(folder, "credential-plugin");
        await File.WriteAllTextAsync(plugin, """
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"token-from-plugin"}}'
            """.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var user = $"      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: {plugin}";

        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(WriteKubeconfig(server, TestCertificates.Shared.CaPem, user)));
        var secrets = await client.CoreV1.ListNamespacedSecretAsync("food");

        Assert.Empty(secrets.Items);
        Assert.True(Assert.Single(server.Requests).HadBearerToken);
    }

    [Fact]
    public async Task AClientCertificateIsPresentedAndAServerOutsideTheClusterCaIsRefused()
    {
        await using var server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions
        {
            ServerCertificate = TestCertificates.Shared.Server,
            RequestClientCertificate = true,
        });
        var user = $"      client-certificate-data: {Base64(TestCertificates.Shared.RsaClientCertificatePem)}\n      client-key-data: {Base64(TestCertificates.Shared.RsaClientKeyPem)}";

        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(WriteKubeconfig(server, TestCertificates.Shared.CaPem, user)));
        await client.CoreV1.ListNamespacedSecretAsync("food");
        Assert.Equal("CN=rsa-user, O=system:masters", Assert.Single(server.Requests).ClientCertificateSubject);

        // The same server under a CA that did not sign it: the handshake fails, nothing is sent.
        using var otherCa = System.Security.Cryptography.RSA.Create(2048);
        var otherCaPem = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other-ca", otherCa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)).ExportCertificatePem();
        using var misled = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(WriteKubeconfig(server, otherCaPem, user)));
        await Assert.ThrowsAsync<HttpRequestException>(() => misled.CoreV1.ListNamespacedSecretAsync("food"));
        Assert.Single(server.Requests);
    }

    private string WriteKubeconfig(KubernetesApiServerDouble server, string caPem, string user)
    {
        var path = Path.Combine(folder, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
              - name: test
                cluster:
                  server: {server.BaseUri}
                  certificate-authority-data: {Base64(caPem)}
            users:
              - name: test
                user:
            {user}
            contexts:
              - name: test
                context:
                  cluster: test
                  user: test
            """);
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}
