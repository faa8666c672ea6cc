using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>What the controller refuses even if the API server let it through.</summary>
public sealed class SpecValidatorTests
{
    [Fact]
    public void The_defaulted_fixture_is_valid() => Assert.Empty(SpecValidator.Validate(Source().Spec));

    [Theory]
    [InlineData("endpoints", "spec.endpoints: 'rmq-proxy' is not host:port")]
    [InlineData("credentials", "spec.credentials: accessKey and secretKey must be set together")]
    [InlineData("caCert", "spec.caCert requires spec.tls to be true")]
    [InlineData("sql", "spec.filter.expression: a SQL92 filter needs an expression")]
    [InlineData("await", "spec.awaitDuration '1m' must be a duration such as 30s between 5s and 20s")]
    [InlineData("batch", "spec.batchSize 64 must be between 1 and 32")]
    [InlineData("overrides", "spec.ceOverrides.extensions: extension name 'type' is a core CloudEvents attribute")]
    [InlineData("backoff", "spec.delivery.backoffPolicy 'random' must be exponential or linear")]
    [InlineData("maxInFlight", "spec.maxInFlight 4097 must be between 1 and 4096")]
    public void Each_problem_names_its_field(string problem, string expected)
    {
        var secret = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "s", Key = "k" } };
        var spec = Source(s =>
        {
            switch (problem)
            {
                case "endpoints": s.Endpoints = "rmq-proxy"; break;
                case "credentials": s.Credentials = new RocketMQCredentials { AccessKey = secret }; break;
                case "caCert": s.CaCert = secret; break;
                case "sql": s.Filter = new RocketMQFilter { Type = "SQL92", Expression = "*" }; break;
                case "await": s.AwaitDuration = "1m"; break;
                case "batch": s.BatchSize = 64; break;
                case "overrides": s.CeOverrides = new CloudEventOverrides { Extensions = new Dictionary<string, string> { ["type"] = "x" } }; break;
                case "backoff": s.Delivery = new DeliverySpec { BackoffPolicy = "random" }; break;
                case "maxInFlight": s.MaxInFlight = 4097; break;
            }
        }).Spec;

        Assert.Contains(SpecValidator.Validate(spec), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, "spec.sink needs a ref or a uri")]
    [InlineData(null, "/relative", "spec.sink.uri '/relative' must be an absolute http(s) URI when there is no ref")]
    [InlineData(null, "ftp://x/y", "spec.sink.uri 'ftp://x/y' must be an absolute http(s) URI when there is no ref")]
    [InlineData(null, "http://ok.example/in", null)]
    [InlineData("Broker", "relative/path", null)]
    public void Destinations_need_a_ref_or_an_absolute_uri(string? kind, string? uri, string? expected)
    {
        var destination = new Destination
        {
            Ref = kind is null ? null : new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = kind, Name = "default" },
            Uri = uri,
        };

        Assert.Equal(expected, SpecValidator.ValidateDestination(destination, "spec.sink"));
    }
}
