using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Builds <see cref="AdapterOptions"/> from environment variables; throws <see cref="ConfigurationException"/> on the first problem.</summary>
internal static class AdapterOptionsParser
{
    public const string DefaultTokenPath = "/var/run/secrets/tokens/oidc-token";
    private const string PodAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static readonly TimeSpan MaxDefaultSinkTimeout = TimeSpan.FromSeconds(60);

    public static AdapterOptions Parse(IReadOnlyDictionary<string, string?> environment)
    {
        var env = new EnvironmentReader(environment);
        var sink = ParseSink(env);
        var retry = ParseRetry(env);
        var rocketMq = ParseRocketMq(env);
        sink = sink with { Timeout = ParseSinkTimeout(env.Optional("K_SINK_TIMEOUT")) ?? DefaultSinkTimeout(rocketMq.InvisibleDuration) };
        var operations = ParseOperations(env);
        return new AdapterOptions(sink, retry, rocketMq, operations);
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static SinkOptions ParseSink(EnvironmentReader env)
    {
        var sink = env.HttpUri("K_SINK") ?? throw new ConfigurationException("K_SINK", "is required");
        var deadLetter = env.HttpUri("K_DEAD_LETTER_SINK");
        var overrides = CeOverridesParser.Parse(env.Optional(CeOverridesParser.Variable));
        var caCertificates = ParseCaCertificates("K_CA_CERTS", env.Optional("K_CA_CERTS"));
        var http2 = env.Boolean("K_SINK_HTTP2", false);
        var audience = env.Optional("K_AUDIENCE");
        var serviceAccount = env.Optional("K_OIDC_SERVICE_ACCOUNT");
        var tokenPath = env.Optional("K_OIDC_TOKEN_PATH") ?? DefaultTokenPath;
        var deadLetterAudience = env.Optional("K_DEAD_LETTER_SINK_AUDIENCE");
        var deadLetterCaCertificates = ParseCaCertificates("K_DEAD_LETTER_SINK_CA_CERTS", env.Optional("K_DEAD_LETTER_SINK_CA_CERTS"));
        return new SinkOptions(sink, deadLetter, overrides, caCertificates, audience, serviceAccount, tokenPath, MaxDefaultSinkTimeout, http2,
            deadLetterAudience, deadLetterCaCertificates, serviceAccount is null ? null : ParseTokenRequest(env, serviceAccount));
    }

    /// <summary>In-cluster API server access, as client-go's InClusterConfig finds it: service env and the pod account's files.</summary>
    private static TokenRequestOptions ParseTokenRequest(EnvironmentReader env, string serviceAccount)
    {
        var host = env.Optional("KUBERNETES_SERVICE_HOST") ?? throw new ConfigurationException("KUBERNETES_SERVICE_HOST", "is required with K_OIDC_SERVICE_ACCOUNT (tokens come from the API server)");
        var port = env.Integer("KUBERNETES_SERVICE_PORT", 443, 1, 65535);
        var ns = env.Optional("NAMESPACE") ?? throw new ConfigurationException("NAMESPACE", "is required with K_OIDC_SERVICE_ACCOUNT (the account's namespace)");
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new TokenRequestOptions(new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{authority}:{port}/")), ns, serviceAccount,
            Path.Combine(PodAccountDirectory, "token"), Path.Combine(PodAccountDirectory, "ca.crt"));
    }

    /// <summary>
    /// Without K_SINK_TIMEOUT an attempt may take what the invisible duration leaves after two
    /// renewal margins (at most 60s), so an ordinary attempt ends before the message's first
    /// renewal would be due and costs no ChangeInvisibleDuration round trip.
    /// </summary>
    public static TimeSpan DefaultSinkTimeout(TimeSpan invisibleDuration)
    {
        var fits = invisibleDuration - (2 * RocketMqOptions.RenewalMarginFor(invisibleDuration));
        return fits < MaxDefaultSinkTimeout ? fits : MaxDefaultSinkTimeout;
    }

    private static TimeSpan? ParseSinkTimeout(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new ConfigurationException("K_SINK_TIMEOUT", $"must be a whole number of seconds, got '{text}'");
        }

        // Knative treats zero or less as "no timeout"; the adapter keeps attempts bounded so the
        // message's invisibility can always be kept ahead of them, and uses its default.
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static X509Certificate2Collection? ParseCaCertificates(string variable, string? pem)
    {
        if (pem is null)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw new ConfigurationException(variable, "is not a valid PEM certificate bundle");
        }

        if (collection.Count == 0)
        {
            throw new ConfigurationException(variable, "contains no PEM certificate");
        }

        return collection;
    }

    private static RetryOptions ParseRetry(EnvironmentReader env)
    {
        var retry = env.Integer("K_RETRY", 3, 0, 100);
        var policy = env.Choice("K_BACKOFF_POLICY", "exponential", "exponential", "linear") == "linear"
            ? BackoffPolicy.Linear
            : BackoffPolicy.Exponential;
        var delay = env.Duration("K_BACKOFF_DELAY", TimeSpan.FromMilliseconds(200), TimeSpan.Zero, TimeSpan.FromHours(1));
        var retryAfterMax = env.Duration("K_RETRY_AFTER_MAX", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1));
        return new RetryOptions(retry, policy, delay, retryAfterMax);
    }

    private static RocketMqOptions ParseRocketMq(EnvironmentReader env)
    {
        var endpoints = ParseEndpoints(env.Required("ROCKETMQ_ENDPOINTS"));
        var topic = env.Required("ROCKETMQ_TOPIC");
        var group = env.Required("ROCKETMQ_CONSUMER_GROUP");
        var filterType = env.Choice("ROCKETMQ_FILTER_TYPE", "tag", "tag", "sql92") == "sql92" ? FilterType.Sql92 : FilterType.Tag;
        var filterExpression = env.Optional("ROCKETMQ_FILTER_EXPRESSION")
            ?? (filterType == FilterType.Tag ? "*" : throw new ConfigurationException("ROCKETMQ_FILTER_EXPRESSION", "is required when ROCKETMQ_FILTER_TYPE is SQL92"));
        var credentials = ParseCredentials(env);
        var tls = env.Boolean("ROCKETMQ_TLS", false);
        var proxyCaCertificates = ParseCaCertificates("ROCKETMQ_CA_CERTS", env.Optional("ROCKETMQ_CA_CERTS"));
        if (proxyCaCertificates is not null && !tls)
        {
            throw new ConfigurationException("ROCKETMQ_CA_CERTS", "needs ROCKETMQ_TLS=true (the certificates are trusted for TLS to the proxy)");
        }
        var batchSize = env.Integer("ROCKETMQ_BATCH_SIZE", 32, 1, 32);
        var invisible = env.Duration("ROCKETMQ_INVISIBLE_DURATION", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromHours(12));
        var await = env.Duration("ROCKETMQ_AWAIT_DURATION", TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
        var maxInFlight = env.Integer("ROCKETMQ_MAX_IN_FLIGHT", 64, 1, 10_000);
        var ordering = env.Choice("ROCKETMQ_ORDERING", "ordered", "ordered", "unordered") == "ordered" ? Ordering.Ordered : Ordering.Unordered;
        var handBack = env.Duration("ROCKETMQ_HANDBACK_DELAY", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));
        return new RocketMqOptions(endpoints, env.Optional("ROCKETMQ_NAMESPACE"), topic, group, filterType, filterExpression,
            credentials, tls, proxyCaCertificates, batchSize, invisible, await, maxInFlight, ordering, handBack);
    }

    private static RocketMqCredentials? ParseCredentials(EnvironmentReader env)
    {
        var accessKey = env.Optional("ROCKETMQ_ACCESS_KEY");
        var secretKey = env.Optional("ROCKETMQ_SECRET_KEY");
        var token = env.Optional("ROCKETMQ_SECURITY_TOKEN");
        if (accessKey is null && secretKey is null)
        {
            return token is null ? null : throw new ConfigurationException("ROCKETMQ_SECURITY_TOKEN", "needs ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY");
        }

        if (accessKey is null)
        {
            throw new ConfigurationException("ROCKETMQ_ACCESS_KEY", "is required when ROCKETMQ_SECRET_KEY is set");
        }

        if (secretKey is null)
        {
            throw new ConfigurationException("ROCKETMQ_SECRET_KEY", "is required when ROCKETMQ_ACCESS_KEY is set");
        }

        return new RocketMqCredentials(accessKey, secretKey, token);
    }

    private static string[] ParseEndpoints(string text)
    {
        var endpoints = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (endpoints.Length == 0)
        {
            throw new ConfigurationException("ROCKETMQ_ENDPOINTS", "must list host:port[;host:port]");
        }

        foreach (var endpoint in endpoints)
        {
            var colon = endpoint.LastIndexOf(':');
            var host = colon > 0 ? endpoint[..colon] : string.Empty;
            var portText = colon > 0 ? endpoint[(colon + 1)..] : string.Empty;
            if (host.Length == 0 || host.Contains('/') || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ConfigurationException("ROCKETMQ_ENDPOINTS", $"'{endpoint}' is not host:port");
            }
        }

        return endpoints;
    }

    private static OperationsOptions ParseOperations(EnvironmentReader env)
    {
        var healthPort = env.Integer("HEALTH_PORT", 8080, 1, 65535);
        var metricsPort = env.Integer("METRICS_PORT", 9092, 1, 65535);
        var metricsEnabled = KnativeConfigParser.MetricsEnabled(env.Optional(KnativeConfigParser.ObservabilityVariable));
        if (metricsEnabled && metricsPort == healthPort)
        {
            throw new ConfigurationException("METRICS_PORT", $"must differ from HEALTH_PORT ({healthPort})");
        }

        var logLevel = KnativeConfigParser.LogLevel(env.Optional(KnativeConfigParser.LoggingVariable));
        var grace = env.Duration("SHUTDOWN_GRACE_PERIOD", TimeSpan.FromSeconds(25), TimeSpan.Zero, TimeSpan.FromHours(1));
        return new OperationsOptions(env.Optional("NAME"), env.Optional("NAMESPACE"), healthPort, metricsPort, metricsEnabled, logLevel, grace);
    }
}
