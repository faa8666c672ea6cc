using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Tests.Unit;

public class SignatureTests
{
    private const string DateTime = "20260101T120000Z";
    private readonly SignatureVerifier _verifier = new("AK", "SK");

    private static string Header(string accessKey, string signature) =>
        $"MQv2-HMAC-SHA1 Credential={accessKey}, SignedHeaders=x-mq-date-time, Signature={signature}";

    [Fact]
    public void Signature_is_uppercase_hex_hmac_sha1_of_the_date_time_keyed_with_the_secret()
    {
        // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog") from RFC 2104 test usage.
        Assert.Equal("DE7C9B85B8B78AA6BC8A7A36F70A90701C9DB4D9", SignatureVerifier.Sign("key", "The quick brown fox jumps over the lazy dog"));
    }

    [Fact]
    public void Valid_signatures_pass_in_either_hex_case()
    {
        var signature = SignatureVerifier.Sign("SK", DateTime);

        Assert.True(_verifier.Verify(Header("AK", signature), DateTime));
        Assert.True(_verifier.Verify(Header("AK", signature.ToLowerInvariant()), DateTime));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time")]
    [InlineData("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time, Signature=not-hex")]
    public void Malformed_headers_fail(string? header) => Assert.False(_verifier.Verify(header, DateTime));

    [Fact]
    public void Wrong_key_secret_or_date_fail()
    {
        Assert.False(_verifier.Verify(Header("OTHER", SignatureVerifier.Sign("SK", DateTime)), DateTime));
        Assert.False(_verifier.Verify(Header("AK", SignatureVerifier.Sign("WRONG", DateTime)), DateTime));
        Assert.False(_verifier.Verify(Header("AK", SignatureVerifier.Sign("SK", DateTime)), "20260101T120001Z"));
    }

    [Fact]
    public void With_credentials_configured_unsigned_calls_are_unauthorized()
    {
        var options = new RocketMqEmulatorOptions { AccessKey = "AK", SecretKey = "SK" };
        var service = new ProxyService(options, new EmulatedBroker(8, TimeProvider.System));
        var request = new QueryRouteRequest { Topic = Wire.Resource("orders") };

        var unsigned = service.QueryRoute(new CallContext("client"), request);
        var signed = service.QueryRoute(new CallContext("client", Header("AK", SignatureVerifier.Sign("SK", DateTime)), DateTime), request);

        Assert.Equal(Code.Unauthorized, unsigned.Status.Code);
        Assert.Equal(Code.Ok, signed.Status.Code);
    }
}
