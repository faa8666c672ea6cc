using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using RocketMqSource.RocketMq.Tests.Support;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.RocketMq.Tests.Transport;

public sealed class GrpcChannelTlsTests
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

    private static Task<TestGrpcServer> StartTlsServerAsync(X509Certificate2 leaf) =>
        TestGrpcServer.StartAsync(
            new Dictionary<string, RequestDelegate>
            {
                ["/test.Echo/Unary"] = async context =>
                {
                    var request = await GrpcFraming.ReadAsync(context.Request.Body, StringValue.Parser);
                    await TestGrpcServer.StartResponseAsync(context);
                    await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = "tls:" + request!.Value + ":" + context.Request.Protocol });
                    TestGrpcServer.SetStatus(context, 0);
                },
            },
            leaf);

    private static Task<StringValue> CallAsync(GrpcChannel channel) =>
        channel.UnaryAsync<StringValue, StringValue>("test.Echo/Unary", new StringValue { Value = "x" },
            new CallOptions([], TimeSpan.FromSeconds(20), CancellationToken.None));

    [Fact]
    public async Task Tls_call_succeeds_when_the_ca_is_trusted()
    {
        var (ca, leaf) = CreateCertificates();
        await using var server = await StartTlsServerAsync(leaf);
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions { UseTls = true, TrustedCertificates = [ca] });

        Assert.Equal("tls:x:HTTP/2", (await CallAsync(channel)).Value);
    }

    [Fact]
    public async Task Tls_call_succeeds_without_verification_when_asked()
    {
        var (_, leaf) = CreateCertificates();
        await using var server = await StartTlsServerAsync(leaf);
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions { UseTls = true, SkipCertificateVerification = true });

        Assert.Equal("tls:x:HTTP/2", (await CallAsync(channel)).Value);
    }

    [Fact]
    public async Task Untrusted_certificate_is_refused_as_unavailable()
    {
        var (_, leaf) = CreateCertificates();
        var (otherCa, _) = CreateCertificates();
        await using var server = await StartTlsServerAsync(leaf);
        using var untrusted = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions { UseTls = true });
        using var wrongCa = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions { UseTls = true, TrustedCertificates = [otherCa] });

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(untrusted));
        Assert.True(refused.IsUnavailable);
        Assert.Contains("SSL", refused.Detail, StringComparison.Ordinal);
        Assert.True((await Assert.ThrowsAsync<RpcException>(() => CallAsync(wrongCa))).IsUnavailable);
    }
}
