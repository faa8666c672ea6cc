using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Tests.Configuration;

public class KnativeConfigParserTests
{
    [Theory]
    [InlineData(null, LogLevel.Information)]
    [InlineData("{}", LogLevel.Information)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"warn\",\"encoding\":\"json\"}"}""", LogLevel.Warning)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"info\"}","loglevel.adapter":"debug"}""", LogLevel.Debug)]
    [InlineData("""{"zap-logger-config":"{\"level\":\"error\"}","loglevel.controller":"debug"}""", LogLevel.Error)]
    [InlineData("""{"loglevel.adapter":"fatal"}""", LogLevel.Critical)]
    public void Log_level_follows_config_logging(string? json, LogLevel expected) =>
        Assert.Equal(expected, KnativeConfigParser.LogLevel(json));

    [Fact]
    public void The_logging_component_is_the_one_config_logging_documents()
    {
        var configMap = File.ReadAllText(Path.Combine(RocketMqSource.Testing.RepoPaths.Root, "config", "400-config-logging.yaml"));
        Assert.Contains($"  {LoggingConfigKeys.AdapterLevel}: ", configMap, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Prometheus")]
    [InlineData("{}", "Prometheus")]
    [InlineData("""{"metrics":{"protocol":"prometheus"}}""", "Prometheus")]
    [InlineData("""{"metrics":{"protocol":"none"},"tracing":{"protocol":"none"}}""", "None")]
    [InlineData("""{"Metrics":{"protocol":"grpc","endpoint":"http://collector:4317"}}""", "Grpc")]
    [InlineData("""{"metrics":{"protocol":"http/protobuf","endpoint":"collector:4318/v1/metrics"}}""", "HttpProtobuf")]
    public void Metrics_protocol_follows_config_observability(string? json, string expected) =>
        Assert.Equal(expected, KnativeConfigParser.Observability(json).MetricsProtocol.ToString());

    [Fact]
    public void Knative_observability_json_is_read_with_its_Go_field_names_and_units()
    {
        // knative/pkg observability.Config marshalled by encoding/json: export_interval in nanoseconds.
        var options = KnativeConfigParser.Observability("""
            {"Tracing":{"protocol":"http/protobuf","endpoint":"otel-collector.observability:4318/v1/traces","sampling_rate":0.25},
             "Metrics":{"protocol":"grpc","endpoint":"http://otel-collector.observability:4317","export_interval":30000000000}}
            """);

        Assert.Equal(TracingProtocol.HttpProtobuf, options.TracingProtocol);
        // Without a scheme, https:// as knative/pkg observability/tracing/provider.go assumes.
        Assert.Equal(new Uri("https://otel-collector.observability:4318/v1/traces"), options.TracingEndpoint);
        Assert.Equal(0.25, options.TracingSamplingRate);
        Assert.Equal(new Uri("http://otel-collector.observability:4317"), options.MetricsEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MetricsExportInterval);
    }

    [Theory]
    [InlineData("""{"metrics":{"protocol":"statsd"}}""", "unsupported metrics protocol 'statsd'")]
    [InlineData("""{"metrics":{"protocol":"grpc"}}""", "metrics endpoint must be set")]
    [InlineData("""{"tracing":{"protocol":"grpc"}}""", "tracing endpoint must be set")]
    [InlineData("""{"tracing":{"protocol":"grpc","endpoint":"http://c:4317","sampling_rate":1.5}}""", "between 0 and 1")]
    [InlineData("""{"metrics":{"protocol":"prometheus","export_interval":-1000000000}}""", "must not be negative")]
    public void Invalid_observability_config_is_refused_as_knative_validates_it(string json, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => KnativeConfigParser.Observability(json));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, "AlwaysOnSampler")]
    [InlineData(0.0, "AlwaysOffSampler")]
    [InlineData(0.1, "ParentBased{TraceIdRatioBasedSampler{0.100000}}")]
    public void Sampling_follows_knative_rate_rules(double rate, string sampler) =>
        Assert.Equal(sampler, RocketMqSource.Adapter.Operations.TelemetryExport.SamplerFor(rate).Description);
}
