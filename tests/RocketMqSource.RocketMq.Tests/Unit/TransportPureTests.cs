using System.Buffers;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class TransportPureTests
{
    [Fact]
    public void Frame_is_flag_byte_big_endian_length_and_payload()
    {
        var frame = GrpcFraming.ToFrame(new StringValue { Value = "hi" });
        Assert.Equal([0, 0, 0, 0, 4, 0x0A, 2, (byte)'h', (byte)'i'], frame);

        var writer = new ArrayBufferWriter<byte>();
        GrpcFraming.Write(writer, new StringValue { Value = "hi" });
        Assert.Equal(frame, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Frames_read_back_in_order_then_null_at_a_clean_end()
    {
        using var stream = new MemoryStream([.. GrpcFraming.ToFrame(new StringValue { Value = "a" }), .. GrpcFraming.ToFrame(new StringValue())]);
        Assert.Equal("a", (await GrpcFraming.ReadAsync(stream, StringValue.Parser))!.Value);
        Assert.Equal(string.Empty, (await GrpcFraming.ReadAsync(stream, StringValue.Parser))!.Value);
        Assert.Null(await GrpcFraming.ReadAsync(stream, StringValue.Parser));
    }

    [Fact]
    public async Task Truncated_compressed_or_oversized_frames_are_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => GrpcFraming.ReadAsync(new MemoryStream([0, 0, 0]), StringValue.Parser).AsTask());
        await Assert.ThrowsAsync<InvalidDataException>(() => GrpcFraming.ReadAsync(new MemoryStream([1, 0, 0, 0, 0]), StringValue.Parser).AsTask());
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            GrpcFraming.ReadAsync(new MemoryStream([0, 0, 0, 0, 100]), StringValue.Parser, maxMessageSize: 10).AsTask());
        await Assert.ThrowsAsync<EndOfStreamException>(() => GrpcFraming.ReadAsync(new MemoryStream([0, 0, 0, 0, 5, 1]), StringValue.Parser).AsTask());
    }

    [Theory]
    [InlineData(3000, "3000000u")]
    [InlineData(23000, "23000000u")]
    [InlineData(230_000, "230000m")]
    [InlineData(500_000_000, "500000S")]
    public void Grpc_timeout_uses_the_finest_unit_within_eight_digits(long milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Encode(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Grpc_timeout_small_and_non_positive_values()
    {
        Assert.Equal("500000n", GrpcTimeout.Encode(TimeSpan.FromTicks(5000)));
        Assert.Equal("1n", GrpcTimeout.Encode(TimeSpan.Zero));
        Assert.Matches("^[0-9]{1,8}H$", GrpcTimeout.Encode(TimeSpan.MaxValue));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, GrpcStatusCode.Internal)]
    [InlineData(HttpStatusCode.Unauthorized, GrpcStatusCode.Unauthenticated)]
    [InlineData(HttpStatusCode.Forbidden, GrpcStatusCode.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, GrpcStatusCode.Unimplemented)]
    [InlineData(HttpStatusCode.ServiceUnavailable, GrpcStatusCode.Unavailable)]
    [InlineData(HttpStatusCode.InternalServerError, GrpcStatusCode.Unknown)]
    public void Http_status_without_grpc_status_maps_per_the_grpc_spec(HttpStatusCode http, GrpcStatusCode expected) =>
        Assert.Equal(expected, GrpcResponseStatus.FromHttpStatus(http));

    [Fact]
    public void Endpoints_parse_ipv4_ipv6_and_domain_names()
    {
        var ipv4 = AccessPoint.Parse("127.0.0.1:8081; 10.0.0.2:8081");
        Assert.Equal(AddressScheme.Ipv4, ipv4.Scheme);
        Assert.Equal([new EndpointAddress("127.0.0.1", 8081), new EndpointAddress("10.0.0.2", 8081)], ipv4.Addresses);

        var ipv6 = AccessPoint.Parse("[::1]:9876");
        Assert.Equal(AddressScheme.Ipv6, ipv6.Scheme);
        Assert.Equal(new EndpointAddress("::1", 9876), ipv6.Addresses[0]);
        Assert.Equal("[::1]:9876", ipv6.Addresses[0].ToString());

        var domain = AccessPoint.Parse("rocketmq-proxy.mq.svc:8081");
        Assert.Equal(AddressScheme.DomainName, domain.Scheme);
        Assert.Equal(8081, domain.ToProtocol().Addresses[0].Port);
    }

    [Fact]
    public void Channel_addresses_use_http_for_h2c_https_for_tls_and_bracket_ipv6()
    {
        using var plain = new GrpcChannel("127.0.0.1", 8081, new GrpcChannelOptions());
        using var tls = new GrpcChannel("proxy.example", 8443, new GrpcChannelOptions { UseTls = true });
        using var ipv6 = new GrpcChannel("::1", 8081, new GrpcChannelOptions());

        Assert.Equal("http://127.0.0.1:8081/", plain.Address.ToString());
        Assert.Equal("https://proxy.example:8443/", tls.Address.ToString());
        Assert.Equal("http://[::1]:8081/", ipv6.Address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("host:http")]
    [InlineData("[::1]9876")]
    public void Bad_endpoints_are_refused(string endpoints) =>
        Assert.Throws<ArgumentException>(() => AccessPoint.Parse(endpoints));
}
