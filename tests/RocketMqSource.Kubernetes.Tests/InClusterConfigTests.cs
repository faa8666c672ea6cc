using RocketMqSource.Kubernetes.Configuration;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sa-").FullName;
    private readonly TestCertificates certificates = TestCertificates.Shared;

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void ReadsServiceAccountFilesAndServiceEnvironment()
    {
        WriteServiceAccount("token-1");
        var env = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"));

        Assert.True(InClusterConfigLoader.IsAvailable(root, env));
        var config = InClusterConfigLoader.Load(root, env);

        Assert.Equal("https://10.96.0.1:443", config.Host);
        Assert.Equal("shop", config.Namespace);
        Assert.Equal(Path.Combine(root, "token"), config.TokenFile);
        Assert.Null(config.AccessToken);
        var ca = Assert.Single(config.SslCaCerts!);
        Assert.Equal(certificates.Ca.Thumbprint, ca.Thumbprint);
    }

    [Fact]
    public void Ipv6ServiceHostIsBracketed()
    {
        WriteServiceAccount("t");
        var config = InClusterConfigLoader.Load(root, Environment(("KUBERNETES_SERVICE_HOST", "fd00::1"), ("KUBERNETES_SERVICE_PORT", "6443")));
        Assert.Equal("https://[fd00::1]:6443", config.Host);
    }

    [Fact]
    public void OutsideAPodIsReportedClearly()
    {
        WriteServiceAccount("t");
        var noEnv = Environment();
        Assert.False(InClusterConfigLoader.IsAvailable(root, noEnv));
        var e = Assert.Throws<KubernetesConfigException>(() => InClusterConfigLoader.Load(root, noEnv));
        Assert.Contains("KUBERNETES_SERVICE_HOST", e.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(root, "token"));
        Assert.Throws<KubernetesConfigException>(() => InClusterConfigLoader.Load(root, Environment(("KUBERNETES_SERVICE_HOST", "h"), ("KUBERNETES_SERVICE_PORT", "1"))));
    }

    [Fact]
    public void RotatedTokenIsPickedUpOnceTheCachedOneIsOlderThanTheInterval()
    {
        WriteServiceAccount("token-1");
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var config = InClusterConfigLoader.Load(root, Environment(("KUBERNETES_SERVICE_HOST", "h"), ("KUBERNETES_SERVICE_PORT", "1")));
        config.TimeProvider = clock;
        var tokens = KubernetesHttpHandlerFactory.TokenSourceFor(config)!;

        Assert.Equal("token-1", tokens.GetToken());
        File.WriteAllText(Path.Combine(root, "token"), "token-2\n");
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("token-1", tokens.GetToken());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", tokens.GetToken());
    }

    private void WriteServiceAccount(string token)
    {
        File.WriteAllText(Path.Combine(root, "token"), token);
        File.WriteAllText(Path.Combine(root, "ca.crt"), certificates.CaPem);
        File.WriteAllText(Path.Combine(root, "namespace"), "shop\n");
    }

    private static Func<string, string?> Environment(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;
}
