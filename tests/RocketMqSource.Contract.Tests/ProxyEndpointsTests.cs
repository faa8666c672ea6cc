namespace RocketMqSource.Contract.Tests;

public class ProxyEndpointsTests
{
    [Theory]
    [InlineData("rmq-proxy:8081", new[] { "rmq-proxy:8081" })]
    [InlineData("a:1;b:65535", new[] { "a:1", "b:65535" })]
    [InlineData(" a:1 ; b:2;", new[] { "a:1", "b:2" })]
    [InlineData("[::1]:8081", new[] { "[::1]:8081" })]
    public void Lists_of_host_port_parse_trimmed(string text, string[] expected)
    {
        Assert.True(ProxyEndpoints.TryParse(text, out var endpoints, out var problem));
        Assert.Equal(expected, endpoints);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("", "must list host:port[;host:port]")]
    [InlineData(";", "must list host:port[;host:port]")]
    [InlineData("rmq-proxy", "'rmq-proxy' is not host:port")]
    [InlineData("a:1;rmq:0", "'rmq:0' is not host:port")]
    [InlineData("rmq:65536", "'rmq:65536' is not host:port")]
    [InlineData(":8081", "':8081' is not host:port")]
    [InlineData("h/x:1", "'h/x:1' is not host:port")]
    [InlineData("a:1,b:2", "'a:1,b:2' is not host:port")]
    public void Anything_else_says_which_entry_is_wrong(string text, string expected)
    {
        Assert.False(ProxyEndpoints.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }
}
