using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Everything the adapter reads from its environment, validated.</summary>
internal sealed record AdapterOptions(
    SinkOptions Sink,
    RetryOptions Retry,
    RocketMqOptions RocketMq,
    OperationsOptions Operations);

/// <summary>Where and how events are sent.</summary>
internal sealed record SinkOptions(
    Uri Uri,
    Uri? DeadLetterSink,
    IReadOnlyDictionary<string, string> CeOverrides,
    X509Certificate2Collection? CaCertificates,
    string? Audience,
    string? OidcServiceAccount,
    string OidcTokenPath,
    TimeSpan Timeout,
    bool Http2,
    string? DeadLetterAudience = null,
    X509Certificate2Collection? DeadLetterCaCertificates = null,
    TokenRequestOptions? TokenRequest = null)
{
    /// <summary>Certificates are listed by subject: their PEM would only clutter a log line.</summary>
    public override string ToString() =>
        $"SinkOptions {{ Uri = {Uri}, DeadLetterSink = {DeadLetterSink}, CeOverrides = [{string.Join(", ", CeOverrides.Keys)}], " +
        $"CaCertificates = {CaCertificates?.Count ?? 0}, Audience = {Audience}, OidcServiceAccount = {OidcServiceAccount}, " +
        $"OidcTokenPath = {OidcTokenPath}, Timeout = {Timeout}, Http2 = {Http2}, DeadLetterAudience = {DeadLetterAudience}, " +
        $"DeadLetterCaCertificates = {DeadLetterCaCertificates?.Count ?? 0}, TokenRequest = {TokenRequest} }}";
}

/// <summary>
/// Knative's authentication-oidc identity: tokens for <see cref="ServiceAccount"/> are requested
/// from the API server with the pod's own account token (TokenRequest), per audience.
/// </summary>
internal sealed record TokenRequestOptions(Uri ApiServer, string Namespace, string ServiceAccount, string PodTokenPath, string CaPath);

internal enum BackoffPolicy
{
    Exponential,
    Linear,
}

/// <summary>Knative delivery spec: retry count after the first attempt, backoff, Retry-After cap.</summary>
internal sealed record RetryOptions(int Retry, BackoffPolicy BackoffPolicy, TimeSpan BackoffDelay, TimeSpan RetryAfterMax);

internal enum FilterType
{
    Tag,
    Sql92,
}

internal enum Ordering
{
    /// <summary>Messages of one message group are delivered one at a time, in receive order.</summary>
    Ordered,

    /// <summary>Every message is delivered independently.</summary>
    Unordered,
}

/// <summary>Credentials for request signing. Never printed.</summary>
internal sealed class RocketMqCredentials(string accessKey, string secretKey, string? securityToken)
{
    public string AccessKey { get; } = accessKey;

    public string SecretKey { get; } = secretKey;

    public string? SecurityToken { get; } = securityToken;

    public override string ToString() => "RocketMqCredentials { *** }";
}

/// <summary>The consumer side: proxy, subscription and consumption tuning.</summary>
internal sealed record RocketMqOptions(
    IReadOnlyList<string> Endpoints,
    string? Namespace,
    string Topic,
    string ConsumerGroup,
    FilterType FilterType,
    string FilterExpression,
    RocketMqCredentials? Credentials,
    bool Tls,
    X509Certificate2Collection? CaCertificates,
    int BatchSize,
    TimeSpan InvisibleDuration,
    TimeSpan AwaitDuration,
    int MaxInFlight,
    Ordering Ordering,
    TimeSpan HandBackDelay)
{
    /// <summary>
    /// Room kept before a held message's invisible duration lapses, for the ChangeInvisibleDuration
    /// call and clock drift: a quarter of the duration, at most 5s.
    /// </summary>
    public static TimeSpan RenewalMarginFor(TimeSpan invisibleDuration)
    {
        var quarter = invisibleDuration / 4;
        return quarter < TimeSpan.FromSeconds(5) ? quarter : TimeSpan.FromSeconds(5);
    }

    public override string ToString() =>
        $"RocketMqOptions {{ Endpoints = {string.Join(";", Endpoints)}, Namespace = {Namespace}, Topic = {Topic}, " +
        $"ConsumerGroup = {ConsumerGroup}, FilterType = {FilterType}, FilterExpression = {FilterExpression}, " +
        $"Credentials = {(Credentials is null ? "none" : "***")}, Tls = {Tls}, CaCertificates = {CaCertificates?.Count ?? 0}, BatchSize = {BatchSize}, " +
        $"InvisibleDuration = {InvisibleDuration}, AwaitDuration = {AwaitDuration}, MaxInFlight = {MaxInFlight}, " +
        $"Ordering = {Ordering}, HandBackDelay = {HandBackDelay} }}";
}

/// <summary>Identity, probes, metrics, logging and shutdown.</summary>
internal sealed record OperationsOptions(
    string? Name,
    string? Namespace,
    string? PodName,
    int HealthPort,
    int MetricsPort,
    ObservabilityOptions Observability,
    LogLevel LogLevel,
    TimeSpan ShutdownGracePeriod);

