using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class AccessPointTests
{
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

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("host:http")]
    [InlineData("[::1]9876")]
    public void Bad_endpoints_are_refused(string endpoints) =>
        Assert.Throws<ArgumentException>(() => AccessPoint.Parse(endpoints));
}
