using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Tests.Configuration;

public class AdapterOptionsParserTests
{
    [Fact]
    public void Minimal_environment_gets_the_documented_defaults()
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid());

        Assert.Equal(new Uri("http://broker-ingress.knative-eventing.svc.cluster.local/default/default"), options.Sink.Uri);
        Assert.Null(options.Sink.DeadLetterSink);
        Assert.Empty(options.Sink.CeOverrides);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Sink.Timeout);
        Assert.False(options.Sink.Http2);
        Assert.Equal(OidcToken.DefaultPath, options.Sink.OidcTokenPath);
        Assert.Equal(new RetryOptions(3, BackoffPolicy.Exponential, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)), options.Retry);
        var rocketMq = options.RocketMq;
        Assert.Equal(["rocketmq-proxy:8081"], rocketMq.Endpoints);
        Assert.Equal(FilterType.Tag, rocketMq.FilterType);
        Assert.Equal("*", rocketMq.FilterExpression);
        Assert.Null(rocketMq.Credentials);
        Assert.False(rocketMq.Tls);
        Assert.Equal(32, rocketMq.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(30), rocketMq.InvisibleDuration);
        Assert.Equal(TimeSpan.FromSeconds(20), rocketMq.AwaitDuration);
        Assert.Equal(64, rocketMq.MaxInFlight);
        Assert.Equal(Ordering.Ordered, rocketMq.Ordering);
        Assert.Equal(TimeSpan.FromSeconds(1), rocketMq.HandBackDelay);
        Assert.Equal(8080, options.Operations.HealthPort);
        Assert.Equal(9092, options.Operations.MetricsPort);
        Assert.Equal(ObservabilityOptions.Default, options.Operations.Observability);
        Assert.Equal(LogLevel.Information, options.Operations.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(25), options.Operations.ShutdownGracePeriod);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(
            ("K_SINK", "https://sink.example.com/x"),
            ("K_DEAD_LETTER_SINK", "http://dlq.example.com"),
            ("K_CE_OVERRIDES", """{"extensions":{"team":"food","region":"eu1"}}"""),
            ("K_AUDIENCE", "sink-audience"),
            ("K_OIDC_SERVICE_ACCOUNT", "adapter-sa"),
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("KUBERNETES_SERVICE_PORT", "6443"),
            ("K_DEAD_LETTER_SINK_AUDIENCE", "dlq-audience"),
            ("K_OIDC_TOKEN_PATH", "/tmp/token"),
            ("K_SINK_TIMEOUT", "7"),
            ("K_SINK_HTTP2", "true"),
            ("NAME", "orders-source"),
            ("NAMESPACE", "food"),
            ("ROCKETMQ_ENDPOINTS", "a:8081; b:8082"),
            ("ROCKETMQ_NAMESPACE", "MQ_INST_1"),
            ("ROCKETMQ_FILTER_TYPE", "SQL92"),
            ("ROCKETMQ_FILTER_EXPRESSION", "region = 'eu'"),
            ("ROCKETMQ_ACCESS_KEY", "ak"),
            ("ROCKETMQ_SECRET_KEY", "sk-very-secret"),
            ("ROCKETMQ_SECURITY_TOKEN", "sts-token"),
            ("ROCKETMQ_TLS", "true"),
            ("ROCKETMQ_BATCH_SIZE", "32"),
            ("ROCKETMQ_INVISIBLE_DURATION", "PT1M"),
            ("ROCKETMQ_AWAIT_DURATION", "5s"),
            ("ROCKETMQ_MAX_IN_FLIGHT", "8"),
            ("ROCKETMQ_ORDERING", "unordered"),
            ("ROCKETMQ_HANDBACK_DELAY", "10s"),
            ("K_RETRY", "5"),
            ("K_BACKOFF_POLICY", "linear"),
            ("K_BACKOFF_DELAY", "PT0.5S"),
            ("K_RETRY_AFTER_MAX", "1m"),
            ("HEALTH_PORT", "8181"),
            ("METRICS_PORT", "9191"),
            ("SHUTDOWN_GRACE_PERIOD", "10s"),
            ("K_LOGGING_CONFIG", """{"zap-logger-config":"{\"level\":\"debug\"}"}""")));

        Assert.Equal(new Uri("http://dlq.example.com"), options.Sink.DeadLetterSink);
        Assert.Equal("food", options.Sink.CeOverrides["team"]);
        Assert.Equal("eu1", options.Sink.CeOverrides["region"]);
        Assert.Equal("sink-audience", options.Sink.Audience);
        Assert.Equal("adapter-sa", options.Sink.OidcServiceAccount);
        Assert.Equal("dlq-audience", options.Sink.DeadLetterAudience);
        Assert.Equal(new TokenRequestOptions(new Uri("https://10.96.0.1:6443/"), "food", "adapter-sa",
            "/var/run/secrets/kubernetes.io/serviceaccount/token", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"), options.Sink.TokenRequest);
        Assert.Equal("/tmp/token", options.Sink.OidcTokenPath);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Sink.Timeout);
        Assert.True(options.Sink.Http2);
        Assert.Equal(("orders-source", "food"), (options.Operations.Name, options.Operations.Namespace));
        var rocketMq = options.RocketMq;
        Assert.Equal(["a:8081", "b:8082"], rocketMq.Endpoints);
        Assert.Equal("MQ_INST_1", rocketMq.Namespace);
        Assert.Equal(FilterType.Sql92, rocketMq.FilterType);
        Assert.Equal("region = 'eu'", rocketMq.FilterExpression);
        Assert.Equal(("ak", "sk-very-secret", "sts-token"), (rocketMq.Credentials!.AccessKey, rocketMq.Credentials.SecretKey, rocketMq.Credentials.SecurityToken));
        Assert.True(rocketMq.Tls);
        Assert.Equal(32, rocketMq.BatchSize);
        Assert.Equal(TimeSpan.FromMinutes(1), rocketMq.InvisibleDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), rocketMq.AwaitDuration);
        Assert.Equal(8, rocketMq.MaxInFlight);
        Assert.Equal(Ordering.Unordered, rocketMq.Ordering);
        Assert.Equal(TimeSpan.FromSeconds(10), rocketMq.HandBackDelay);
        Assert.Equal(new RetryOptions(5, BackoffPolicy.Linear, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1)), options.Retry);
        Assert.Equal((8181, 9191), (options.Operations.HealthPort, options.Operations.MetricsPort));
        Assert.Equal(TimeSpan.FromSeconds(10), options.Operations.ShutdownGracePeriod);
        Assert.Equal(LogLevel.Debug, options.Operations.LogLevel);
    }

    [Theory]
    [InlineData("K_SINK", null, "is required")]
    [InlineData("K_SINK", "broker.default.svc", "absolute http or https URI")]
    [InlineData("K_SINK", "ftp://x/y", "absolute http or https URI")]
    [InlineData("K_DEAD_LETTER_SINK", "not a uri", "absolute http or https URI")]
    [InlineData("ROCKETMQ_ENDPOINTS", null, "is required")]
    [InlineData("ROCKETMQ_ENDPOINTS", "proxy", "is not host:port")]
    [InlineData("ROCKETMQ_ENDPOINTS", "a:8081;b:99999", "is not host:port")]
    [InlineData("ROCKETMQ_ENDPOINTS", "a:8081,b:8081", "is not host:port")]
    [InlineData("ROCKETMQ_TOPIC", null, "is required")]
    [InlineData("ROCKETMQ_CONSUMER_GROUP", "  ", "is required")]
    [InlineData("ROCKETMQ_FILTER_TYPE", "regex", "must be one of TAG, SQL92")]
    [InlineData("ROCKETMQ_TLS", "maybe", "must be true or false")]
    [InlineData("ROCKETMQ_BATCH_SIZE", "33", "between 1 and 32")]
    [InlineData("ROCKETMQ_BATCH_SIZE", "ten", "whole number")]
    [InlineData("ROCKETMQ_INVISIBLE_DURATION", "5s", "between 10s and 12h")]
    [InlineData("ROCKETMQ_INVISIBLE_DURATION", "13h", "between 10s and 12h")]
    [InlineData("ROCKETMQ_AWAIT_DURATION", "30s", "between 5s and 20s")]
    [InlineData("ROCKETMQ_AWAIT_DURATION", "soon", "must be a duration")]
    [InlineData("ROCKETMQ_MAX_IN_FLIGHT", "0", "between 1 and 4096")]
    [InlineData("ROCKETMQ_MAX_IN_FLIGHT", "4097", "between 1 and 4096")]
    [InlineData("ROCKETMQ_ORDERING", "fifo", "must be one of ordered, unordered")]
    [InlineData("K_RETRY", "-1", "between 0 and 100")]
    [InlineData("K_BACKOFF_POLICY", "fibonacci", "must be one of exponential, linear")]
    [InlineData("K_BACKOFF_DELAY", "0.2", "must be a duration")]
    [InlineData("ROCKETMQ_INVISIBLE_DURATION", "PT12H0.1S", "between 10s and 12h, got 12h0.1s")]
    [InlineData("K_RETRY_AFTER_MAX", "forever", "must be a duration")]
    [InlineData("K_SINK_TIMEOUT", "2.5", "whole number of seconds")]
    [InlineData("K_SINK_HTTP2", "h2c", "must be true or false")]
    [InlineData("K_CA_CERTS", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----", "PEM")]
    [InlineData("K_CA_CERTS", "hello", "contains no PEM certificate")]
    [InlineData("ROCKETMQ_CA_CERTS", "hello", "contains no PEM certificate")]
    [InlineData("K_CE_OVERRIDES", "{not json", "is not valid JSON")]
    [InlineData("K_CE_OVERRIDES", "[1]", "must be a JSON object")]
    [InlineData("K_CE_OVERRIDES", """{"extensions":{"Bad-Name":"x"}}""", "'Bad-Name' must be one or more lower-case letters or digits")]
    [InlineData("K_CE_OVERRIDES", """{"extensions":{"source":"x"}}""", "core CloudEvents attribute")]
    [InlineData("K_CE_OVERRIDES", """{"extensions":{"n":1}}""", "must have a string value")]
    [InlineData("K_LOGGING_CONFIG", """{"zap-logger-config":"{\"level\":\"loud\"}"}""", "unknown log level 'loud'")]
    [InlineData("K_LOGGING_CONFIG", "nope", "is not valid JSON")]
    [InlineData("K_OBSERVABILITY_CONFIG", "[]", "must be a JSON object")]
    [InlineData("HEALTH_PORT", "70000", "between 1 and 65535")]
    [InlineData("METRICS_PORT", "8080", "must differ from HEALTH_PORT")]
    [InlineData("SHUTDOWN_GRACE_PERIOD", "2 hours", "must be a duration")]
    public void Bad_configuration_names_the_variable_and_the_problem(string variable, string? value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => AdapterOptionsParser.Parse(TestEnvironment.Valid((variable, value))));

        Assert.Equal(variable, error.Variable);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(variable + ": ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("ROCKETMQ_ACCESS_KEY", "ROCKETMQ_SECRET_KEY")]
    [InlineData("ROCKETMQ_SECRET_KEY", "ROCKETMQ_ACCESS_KEY")]
    [InlineData("ROCKETMQ_SECURITY_TOKEN", "ROCKETMQ_SECURITY_TOKEN")]
    public void Half_a_credential_is_refused_without_echoing_it(string given, string blamed)
    {
        var error = Assert.Throws<ConfigurationException>(() => AdapterOptionsParser.Parse(TestEnvironment.Valid((given, "s3cr3t-value"))));

        Assert.Equal(blamed, error.Variable);
        Assert.DoesNotContain("s3cr3t-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql92_filter_needs_an_expression()
    {
        var error = Assert.Throws<ConfigurationException>(() => AdapterOptionsParser.Parse(TestEnvironment.Valid(("ROCKETMQ_FILTER_TYPE", "sql92"))));
        Assert.Equal("ROCKETMQ_FILTER_EXPRESSION", error.Variable);
    }

    [Fact]
    public void An_oidc_service_account_needs_the_in_cluster_API_server_to_request_tokens_from()
    {
        var error = Assert.Throws<ConfigurationException>(() => AdapterOptionsParser.Parse(TestEnvironment.Valid(("K_OIDC_SERVICE_ACCOUNT", "sa"), ("NAMESPACE", "food"))));
        Assert.Equal("KUBERNETES_SERVICE_HOST", error.Variable);
        // Knative sets the account whenever authentication-oidc is on; a sink without an audience just gets no token.
        var withoutAudience = AdapterOptionsParser.Parse(TestEnvironment.Valid(("K_OIDC_SERVICE_ACCOUNT", "sa"), ("NAMESPACE", "food"), ("KUBERNETES_SERVICE_HOST", "10.96.0.1")));
        Assert.Null(withoutAudience.Sink.Audience);
        Assert.Equal(new Uri("https://10.96.0.1:443/"), withoutAudience.Sink.TokenRequest!.ApiServer);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Knative_no_timeout_values_fall_back_to_the_bounded_default(string value)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(("K_SINK_TIMEOUT", value), ("ROCKETMQ_INVISIBLE_DURATION", "10s")));
        Assert.Equal(TimeSpan.FromSeconds(5), options.Sink.Timeout);
    }

    [Theory]
    [InlineData("30s", 20)]
    [InlineData("2m", 60)]
    [InlineData("12h", 60)]
    public void Default_sink_timeout_fits_inside_the_invisible_duration(string invisible, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds),
            AdapterOptionsParser.Parse(TestEnvironment.Valid(("ROCKETMQ_INVISIBLE_DURATION", invisible))).Sink.Timeout);

    [Fact]
    public void Empty_values_count_as_unset()
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(("ROCKETMQ_BATCH_SIZE", ""), ("K_DEAD_LETTER_SINK", "")));
        Assert.Equal(32, options.RocketMq.BatchSize);
        Assert.Null(options.Sink.DeadLetterSink);
    }

    [Fact]
    public void Secrets_never_appear_when_options_are_printed()
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(
            ("ROCKETMQ_ACCESS_KEY", "AKID-visible-nowhere"), ("ROCKETMQ_SECRET_KEY", "SECRET-visible-nowhere"),
            ("ROCKETMQ_SECURITY_TOKEN", "TOKEN-visible-nowhere")));

        var printed = string.Join("\n", options.ToString(), options.RocketMq.ToString(), options.RocketMq.Credentials!.ToString());

        Assert.Contains("orders", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("visible-nowhere", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_ca_certificates_are_read_for_tls_to_the_proxy()
    {
        using var certificates = new TestCertificates();

        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid(
            ("ROCKETMQ_TLS", "true"), ("ROCKETMQ_CA_CERTS", certificates.AuthorityPem)));

        var trusted = Assert.Single(options.RocketMq.CaCertificates!);
        Assert.Equal(certificates.Authority.Thumbprint, trusted.Thumbprint);
        Assert.Null(options.Sink.CaCertificates);
    }

    [Fact]
    public void Proxy_ca_certificates_without_tls_are_refused()
    {
        using var certificates = new TestCertificates();

        var error = Assert.Throws<ConfigurationException>(() => AdapterOptionsParser.Parse(TestEnvironment.Valid(
            ("ROCKETMQ_CA_CERTS", certificates.AuthorityPem))));

        Assert.Equal("ROCKETMQ_CA_CERTS", error.Variable);
        Assert.Contains("ROCKETMQ_TLS=true", error.Message, StringComparison.Ordinal);
    }
}
