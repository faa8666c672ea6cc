using Grpc.Core;
using RocketMqSource.RocketMq.Signing;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class RequestSigningTests
{
    // Expected values computed independently: printf '<date>' | openssl dgst -sha1 -hmac '<secret>'
    [Theory]
    [InlineData("mySecretKey", "20260121T101500Z", "9768DF0CDC7844A8E993F6DCAE496D37A17F99C8")]
    [InlineData("sk-Ünïcode", "20230102T030405Z", "EB4D6F7D70B69060DB57C7052A53DF4CAC20C7B6")]
    [InlineData("k", "", "3A84A218EE6665209BB70E84525DD837645A1965")]
    public void Signature_is_uppercase_hex_hmac_sha1_of_the_date_time(string secret, string dateTime, string expected) =>
        Assert.Equal(expected, RequestSigner.Sign(secret, dateTime));

    [Fact]
    public void Hmac_matches_the_rfc_2104_style_reference_value() =>
        Assert.Equal("DE7C9B85B8B78AA6BC8A7A36F70A90701C9DB4D9", RequestSigner.Sign("key", "The quick brown fox jumps over the lazy dog"));

    [Fact]
    public void Verify_accepts_what_authorization_builds_in_either_hex_case()
    {
        var header = RequestSigner.Authorization("AK", "SK", "20260101T120000Z");

        Assert.True(RequestSigner.Verify(header, "20260101T120000Z", "AK", "SK"));
        Assert.True(RequestSigner.Verify(header[..header.IndexOf("Signature=", StringComparison.Ordinal)] + "Signature="
            + RequestSigner.Sign("SK", "20260101T120000Z").ToLowerInvariant(), "20260101T120000Z", "AK", "SK"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time")]
    [InlineData("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time, Signature=not-hex")]
    public void Verify_refuses_malformed_headers(string? header) =>
        Assert.False(RequestSigner.Verify(header, "20260101T120000Z", "AK", "SK"));

    [Fact]
    public void Verify_refuses_another_key_secret_or_date()
    {
        const string DateTime = "20260101T120000Z";

        Assert.False(RequestSigner.Verify(RequestSigner.Authorization("OTHER", "SK", DateTime), DateTime, "AK", "SK"));
        Assert.False(RequestSigner.Verify(RequestSigner.Authorization("AK", "WRONG", DateTime), DateTime, "AK", "SK"));
        Assert.False(RequestSigner.Verify(RequestSigner.Authorization("AK", "SK", DateTime), "20260101T120001Z", "AK", "SK"));
        Assert.False(RequestSigner.Verify(RequestSigner.Authorization("AK", "SK", DateTime), string.Empty, "AK", "SK"));
    }

    [Fact]
    public void Date_time_is_rendered_in_utc_whatever_the_offset()
    {
        var instant = new DateTimeOffset(2026, 1, 21, 18, 15, 0, TimeSpan.FromHours(8));
        Assert.Equal("20260121T101500Z", RequestSigner.FormatDateTime(instant));
    }

    [Fact]
    public void Authorization_header_names_algorithm_credential_signed_headers_and_signature() =>
        Assert.Equal(
            "MQv2-HMAC-SHA1 Credential=AK1, SignedHeaders=x-mq-date-time, Signature=9768DF0CDC7844A8E993F6DCAE496D37A17F99C8",
            RequestSigner.Authorization("AK1", "mySecretKey", "20260121T101500Z"));

    private static Dictionary<string, string> Headers(Metadata metadata) => metadata.ToDictionary(e => e.Key, e => e.Value);

    [Fact]
    public void Metadata_carries_every_required_header_and_signs_the_same_date_time()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 21, 10, 15, 0, TimeSpan.Zero));
        var metadata = new RequestMetadata("host@1@0@abc", "1.2.3", "ns1", new StaticSessionCredentialsProvider("AK1", "mySecretKey", "token-9"), clock);

        var headers = Headers(metadata.Create("req-1"));

        Assert.Equal("host@1@0@abc", headers["x-mq-client-id"]);
        Assert.Equal("DOTNET", headers["x-mq-language"]);
        Assert.Equal("1.2.3", headers["x-mq-client-version"]);
        Assert.Equal("ns1", headers["x-mq-namespace"]);
        Assert.Equal("req-1", headers["x-mq-request-id"]);
        Assert.Equal("v2", headers["x-mq-protocol"]);
        Assert.Equal("20260121T101500Z", headers["x-mq-date-time"]);
        Assert.Equal("token-9", headers["x-mq-session-token"]);
        Assert.EndsWith("Signature=9768DF0CDC7844A8E993F6DCAE496D37A17F99C8", headers["authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_credentials_or_namespace_no_authorization_token_or_namespace_header_is_sent()
    {
        var headers = new RequestMetadata("c", "1", string.Empty, null, new ManualClock()).Create("r").Select(h => h.Key).ToList();

        Assert.DoesNotContain("authorization", headers);
        Assert.DoesNotContain("x-mq-session-token", headers);
        Assert.DoesNotContain("x-mq-namespace", headers);
        Assert.Contains("x-mq-client-id", headers);
    }

    [Fact]
    public void Calls_within_one_second_share_the_signature_and_the_next_second_or_new_credentials_sign_again()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 21, 10, 15, 0, TimeSpan.Zero));
        var credentials = new RotatingCredentials(new SessionCredentials("AK1", "mySecretKey"));
        var metadata = new RequestMetadata("c", "1", string.Empty, credentials, clock);

        var first = metadata.Create("r1");
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var sameSecond = metadata.Create("r2");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var nextSecond = metadata.Create("r3");
        credentials.Current = new SessionCredentials("AK2", "otherSecret");
        var rotated = metadata.Create("r4");

        Assert.Same(first.Get("authorization"), sameSecond.Get("authorization"));
        Assert.Equal(["r1", "r2"], new[] { first, sameSecond }.Select(m => m.GetValue("x-mq-request-id")));
        Assert.Equal("20260121T101501Z", nextSecond.GetValue("x-mq-date-time"));
        Assert.Equal(RequestSigner.Authorization("AK1", "mySecretKey", "20260121T101501Z"), nextSecond.GetValue("authorization"));
        Assert.Equal(RequestSigner.Authorization("AK2", "otherSecret", "20260121T101501Z"), rotated.GetValue("authorization"));
    }

    /// <summary>A provider whose credentials change, as a rotated Secret would.</summary>
    private sealed class RotatingCredentials(SessionCredentials initial) : ISessionCredentialsProvider
    {
        public SessionCredentials Current { get; set; } = initial;

        public SessionCredentials GetSessionCredentials() => Current;
    }

    [Fact]
    public void Credentials_never_print_the_secret()
    {
        var text = new SessionCredentials("AK1", "super-secret", "tok").ToString();
        Assert.DoesNotContain("super-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok", text, StringComparison.Ordinal);
    }
}
