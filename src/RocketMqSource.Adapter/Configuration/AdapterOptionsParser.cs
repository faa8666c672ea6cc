using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RocketMqSource.Contract;
using static RocketMqSource.Contract.AdapterVariables;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Builds <see cref="AdapterOptions"/> from environment variables; throws <see cref="ConfigurationException"/> on the first problem.</summary>
internal static class AdapterOptionsParser
{
    private const string PodAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static readonly TimeSpan MaxDefaultSinkTimeout = TimeSpan.FromSeconds(60);

    public static AdapterOptions Parse(IReadOnlyDictionary<string, string?> environment)
    {
        var env = new EnvironmentReader(environment);
        var sink = ParseSink(env);
        var retry = ParseRetry(env);
        var rocketMq = ParseRocketMq(env);
        sink = sink with { Timeout = ParseSinkTimeout(env.Optional(SinkTimeout)) ?? DefaultSinkTimeout(rocketMq.InvisibleDuration) };
        var operations = ParseOperations(env);
        return new AdapterOptions(sink, retry, rocketMq, operations);
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static SinkOptions ParseSink(EnvironmentReader env)
    {
        var sink = env.HttpUri(Sink) ?? throw new ConfigurationException(Sink, "is required");
        var deadLetter = env.HttpUri(DeadLetterSink);
        var overrides = CeOverridesParser.Parse(env.Optional(CeOverrides));
        var caCertificates = ParseCaCertificates(SinkCaCerts, env.Optional(SinkCaCerts));
        var http2 = env.Boolean(SinkHttp2, false);
        var audience = env.Optional(SinkAudience);
        var serviceAccount = env.Optional(OidcServiceAccount);
        var tokenPath = env.Optional(OidcTokenPath) ?? OidcToken.DefaultPath;
        var deadLetterAudience = env.Optional(DeadLetterSinkAudience);
        var deadLetterCaCertificates = ParseCaCertificates(DeadLetterSinkCaCerts, env.Optional(DeadLetterSinkCaCerts));
        return new SinkOptions(sink, deadLetter, overrides, caCertificates, audience, serviceAccount, tokenPath, MaxDefaultSinkTimeout, http2,
            deadLetterAudience, deadLetterCaCertificates, serviceAccount is null ? null : ParseTokenRequest(env, serviceAccount));
    }

    /// <summary>In-cluster API server access, as client-go's InClusterConfig finds it: service env and the pod account's files.</summary>
    private static TokenRequestOptions ParseTokenRequest(EnvironmentReader env, string serviceAccount)
    {
        var host = env.Optional(KubernetesServiceHost) ?? throw new ConfigurationException(KubernetesServiceHost, $"is required with {OidcServiceAccount} (tokens come from the API server)");
        var port = env.Integer(KubernetesServicePort, 443, 1, 65535);
        var ns = env.Optional(Namespace) ?? throw new ConfigurationException(Namespace, $"is required with {OidcServiceAccount} (the account's namespace)");
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
            throw new ConfigurationException(SinkTimeout, $"must be a whole number of seconds, got '{text}'");
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
        var retry = env.Integer(Retry, Limits.Retry);
        var policy = env.Choice(AdapterVariables.BackoffPolicy, SettingWords.ExponentialBackoff, SettingWords.BackoffPolicies) == SettingWords.LinearBackoff
            ? BackoffPolicy.Linear
            : BackoffPolicy.Exponential;
        var delay = env.Duration(BackoffDelay, Limits.BackoffDelay);
        var retryAfterMax = env.Duration(RetryAfterMax, new DurationRange(TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)));
        return new RetryOptions(retry, policy, delay, retryAfterMax);
    }

    private static RocketMqOptions ParseRocketMq(EnvironmentReader env)
    {
        var endpoints = ParseEndpoints(env.Required(Endpoints));
        var topic = env.Required(Topic);
        var group = env.Required(ConsumerGroup);
        var filterType = env.Choice(AdapterVariables.FilterType, SettingWords.TagFilter, SettingWords.FilterTypes) == SettingWords.Sql92Filter ? FilterType.Sql92 : FilterType.Tag;
        var filterExpression = env.Optional(FilterExpression)
            ?? (filterType == FilterType.Tag ? SettingWords.AllTags : throw new ConfigurationException(FilterExpression, $"is required when {AdapterVariables.FilterType} is SQL92"));
        var credentials = ParseCredentials(env);
        var tls = env.Boolean(Tls, false);
        var proxyCaCertificates = ParseCaCertificates(ProxyCaCerts, env.Optional(ProxyCaCerts));
        if (proxyCaCertificates is not null && !tls)
        {
            throw new ConfigurationException(ProxyCaCerts, $"needs {Tls}=true (the certificates are trusted for TLS to the proxy)");
        }
        var batchSize = env.Integer(BatchSize, Limits.BatchSize);
        var invisible = env.Duration(InvisibleDuration, Limits.InvisibleDuration);
        var await = env.Duration(AwaitDuration, Limits.AwaitDuration);
        var maxInFlight = env.Integer(MaxInFlight, Limits.MaxInFlight);
        var ordering = env.Choice(AdapterVariables.Ordering, SettingWords.Ordered, SettingWords.Orderings) == SettingWords.Ordered ? Ordering.Ordered : Ordering.Unordered;
        var handBack = env.Duration(HandBackDelay, new DurationRange(TimeSpan.FromSeconds(1), TimeSpan.FromHours(2), TimeSpan.FromSeconds(1)));
        return new RocketMqOptions(endpoints, env.Optional(RocketMqNamespace), topic, group, filterType, filterExpression,
            credentials, tls, proxyCaCertificates, batchSize, invisible, await, maxInFlight, ordering, handBack);
    }

    private static RocketMqCredentials? ParseCredentials(EnvironmentReader env)
    {
        var accessKey = env.Optional(AccessKey);
        var secretKey = env.Optional(SecretKey);
        var token = env.Optional(SecurityToken);
        if (accessKey is null && secretKey is null)
        {
            return token is null ? null : throw new ConfigurationException(SecurityToken, $"needs {AccessKey} and {SecretKey}");
        }

        if (accessKey is null)
        {
            throw new ConfigurationException(AccessKey, $"is required when {SecretKey} is set");
        }

        if (secretKey is null)
        {
            throw new ConfigurationException(SecretKey, $"is required when {AccessKey} is set");
        }

        return new RocketMqCredentials(accessKey, secretKey, token);
    }

    private static IReadOnlyList<string> ParseEndpoints(string text) =>
        ProxyEndpoints.TryParse(text, out var endpoints, out var problem) ? endpoints : throw new ConfigurationException(Endpoints, problem!);

    private static OperationsOptions ParseOperations(EnvironmentReader env)
    {
        var healthPort = env.Integer(HealthPort, AdapterPorts.Health, 1, 65535);
        var metricsPort = env.Integer(MetricsPort, AdapterPorts.Metrics, 1, 65535);
        var observability = KnativeConfigParser.Observability(env.Optional(ObservabilityConfig));
        if (observability.MetricsProtocol == MetricsProtocol.Prometheus && metricsPort == healthPort)
        {
            throw new ConfigurationException(MetricsPort, $"must differ from {HealthPort} ({healthPort})");
        }

        var logLevel = KnativeConfigParser.LogLevel(env.Optional(LoggingConfig));
        var grace = env.Duration(ShutdownGracePeriod, new DurationRange(TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromSeconds(25)));
        return new OperationsOptions(env.Optional(Name), env.Optional(Namespace), env.Optional(PodName), healthPort, metricsPort, observability, logLevel, grace);
    }
}
