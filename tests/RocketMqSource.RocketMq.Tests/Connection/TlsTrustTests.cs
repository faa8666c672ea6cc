using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Tests.Support;

namespace RocketMqSource.RocketMq.Tests.Connection;

/// <summary>TLS to the proxy: the system trust store, extra CA certificates from the config, or (development) no verification.</summary>
public sealed class TlsTrustTests
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddDays(-1);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(1);

    private static (X509Certificate2 Ca, X509Certificate2 Leaf) CreateCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test RocketMQ CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(NotBefore, NotAfter);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(ca, NotBefore, NotAfter, RandomNumberGenerator.GetBytes(8));
        var leaf = signed.CopyWithPrivateKey(leafKey);
        return (X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)), leaf);
    }

    private static async Task<FakeProxy> StartTlsProxyAsync(X509Certificate2 leaf)
    {
        var proxy = await FakeProxy.StartAsync(leaf);
        proxy.Topics["orders"] = [MessageType.Normal];
        return proxy;
    }

    private static Task<Producer> StartProducerAsync(FakeProxy proxy, Action<ClientConfig.Builder> configure)
    {
        var config = new ClientConfig.Builder().SetEndpoints(proxy.Endpoints).EnableSsl(true);
        configure(config);
        return new Producer.Builder().SetClientConfig(config.Build()).SetTopics("orders").SetTimings(ClientFixtures.Quiet).BuildAsync();
    }

    [Fact]
    public async Task A_proxy_whose_ca_is_trusted_is_reached_over_tls()
    {
        var (ca, leaf) = CreateCertificates();
        await using var proxy = await StartTlsProxyAsync(leaf);

        await using var producer = await StartProducerAsync(proxy, c => c.AddTrustedCertificate(ca));
        await producer.SendAsync(new Message.Builder().SetTopic("orders").SetBody([1]).Build());

        Assert.Equal(1, proxy.Count("SendMessage"));
        Assert.All(proxy.Calls, call => Assert.Equal("https", call.Scheme));
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_as_unavailable()
    {
        var (_, leaf) = CreateCertificates();
        var (otherCa, _) = CreateCertificates();
        await using var proxy = await StartTlsProxyAsync(leaf);

        var untrusted = await Assert.ThrowsAsync<RpcException>(() => StartProducerAsync(proxy, _ => { }));
        var wrongCa = await Assert.ThrowsAsync<RpcException>(() => StartProducerAsync(proxy, c => c.AddTrustedCertificate(otherCa)));

        Assert.True(untrusted.IsUnavailable, untrusted.ToString());
        Assert.Contains("SSL", untrusted.Detail, StringComparison.Ordinal);
        Assert.True(wrongCa.IsUnavailable, wrongCa.ToString());
        Assert.Equal(0, proxy.Count("QueryRoute"));
    }
}
