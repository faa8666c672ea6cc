using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Tests.Configuration;

public class KnativeConfigParserTests
{
    [Theory]
    [InlineData(null, LogLevel.Information)]
    [InlineData("{}", LogLevel.Information)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"warn\",\"encoding\":\"json\"}"}""", LogLevel.Warning)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"info\"}","loglevel.rocketmqsource-adapter":"debug"}""", LogLevel.Debug)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"error\"}","loglevel.controller":"debug"}""", LogLevel.Error)]
    [InlineData("""{"loglevel.rocketmqsource-adapter":"fatal"}""", LogLevel.Critical)]
    public void Log_level_follows_config_logging(string? json, LogLevel expected) =>
        Assert.Equal(expected, KnativeConfigParser.LogLevel(json));

    [Theory]
    [InlineData(null, true)]
    [InlineData("""{"metrics":{"protocol":"prometheus"}}""", true)]
    [InlineData("""{"metrics":{"protocol":"none"},"tracing":{"protocol":"none"}}""", false)]
    [InlineData("""{"tracing":{"protocol":"grpc"}}""", true)]
    public void Metrics_can_be_switched_off_by_config_observability(string? json, bool enabled) =>
        Assert.Equal(enabled, KnativeConfigParser.MetricsEnabled(json));
}
