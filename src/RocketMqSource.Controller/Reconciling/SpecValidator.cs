using System.Globalization;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Re-checks what the CRD schema promises (it may be older than the controller, or CEL may be
/// off), so a bad spec becomes an InvalidSpec condition instead of a crash-looping adapter. The
/// rules and bounds the adapter also enforces come from the contract (RocketMqSource.Contract).
/// </summary>
internal static class SpecValidator
{
    /// <summary>Problems outside spec.sink, each "field: what is wrong".</summary>
    public static IReadOnlyList<string> Validate(RocketMQSourceSpec? spec)
    {
        if (spec is null)
        {
            return ["spec is required"];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(spec.Endpoints))
        {
            problems.Add("spec.endpoints is required (host:port of the RocketMQ proxy)");
        }
        else if (!ProxyEndpoints.TryParse(spec.Endpoints, out _, out var problem))
        {
            problems.Add($"spec.endpoints: {problem} (host:port, several separated by ';')");
        }

        Require(problems, spec.Topic, "spec.topic");
        Require(problems, spec.ConsumerGroup, "spec.consumerGroup");
        OneOf(problems, spec.Filter?.Type, SettingWords.FilterTypes, "spec.filter.type");
        if (spec.Filter?.Type == SettingWords.Sql92Filter && (string.IsNullOrWhiteSpace(spec.Filter.Expression) || spec.Filter.Expression == SettingWords.AllTags))
        {
            problems.Add("spec.filter.expression: a SQL92 filter needs an expression");
        }

        ValidateCredentials(problems, spec);
        Range(problems, spec.BatchSize, Limits.BatchSize, "spec.batchSize");
        Range(problems, spec.MaxInFlight, Limits.MaxInFlight, "spec.maxInFlight");
        Range(problems, spec.Replicas, new IntRange(0, 100, 1), "spec.replicas");
        GoDuration(problems, spec.InvisibleDuration, Limits.InvisibleDuration, "spec.invisibleDuration");
        GoDuration(problems, spec.AwaitDuration, Limits.AwaitDuration, "spec.awaitDuration");
        OneOf(problems, spec.Ordering, SettingWords.Orderings, "spec.ordering");
        ValidateDelivery(problems, spec.Delivery);
        foreach (var name in spec.CeOverrides?.Extensions?.Keys ?? [])
        {
            if (ExtensionNames.Problem(name) is { } problem)
            {
                problems.Add($"spec.ceOverrides.extensions: {problem}");
            }
        }

        return problems;
    }

    /// <summary>Problems of a Destination (sink or dead-letter sink), or null when it is usable.</summary>
    public static string? ValidateDestination(Destination? destination, string field)
    {
        if (destination is null || (destination.Ref is null && string.IsNullOrEmpty(destination.Uri)))
        {
            return $"{field} needs a ref or a uri";
        }

        if (destination.Ref is { } reference)
        {
            if (string.IsNullOrEmpty(reference.ApiVersion) || string.IsNullOrEmpty(reference.Kind) || string.IsNullOrEmpty(reference.Name))
            {
                return $"{field}.ref needs apiVersion, kind and name";
            }

            return destination.Uri is { Length: > 0 } relative && !Uri.TryCreate(relative, UriKind.RelativeOrAbsolute, out _)
                ? $"{field}.uri '{relative}' is not a URI reference"
                : null;
        }

        return Uri.TryCreate(destination.Uri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"{field}.uri '{destination.Uri}' must be an absolute http(s) URI when there is no ref";
    }

    private static void ValidateCredentials(List<string> problems, RocketMQSourceSpec spec)
    {
        var credentials = spec.Credentials;
        if (credentials is not null)
        {
            if ((credentials.AccessKey is null) != (credentials.SecretKey is null))
            {
                problems.Add("spec.credentials: accessKey and secretKey must be set together");
            }

            if (credentials.SecurityToken is not null && credentials.AccessKey is null)
            {
                problems.Add("spec.credentials.securityToken requires accessKey and secretKey");
            }

            SecretRef(problems, credentials.AccessKey, "spec.credentials.accessKey");
            SecretRef(problems, credentials.SecretKey, "spec.credentials.secretKey");
            SecretRef(problems, credentials.SecurityToken, "spec.credentials.securityToken");
        }

        if (spec.CaCert is not null && spec.Tls != true)
        {
            problems.Add("spec.caCert requires spec.tls to be true");
        }

        SecretRef(problems, spec.CaCert, "spec.caCert");
    }

    private static void ValidateDelivery(List<string> problems, DeliverySpec? delivery)
    {
        if (delivery is null)
        {
            return;
        }

        Range(problems, delivery.Retry, Limits.Retry, "spec.delivery.retry");
        OneOf(problems, delivery.BackoffPolicy, SettingWords.BackoffPolicies, "spec.delivery.backoffPolicy");
        if (delivery.BackoffDelay is { } delay && (!Durations.TryParseIso(delay, out var backoff) || !Limits.BackoffDelay.Contains(backoff)))
        {
            problems.Add($"spec.delivery.backoffDelay '{delay}' must be an ISO-8601 duration such as PT0.2S ({Limits.BackoffDelay})");
        }

        if (delivery.Timeout is { } timeout && !Durations.TryParseIso(timeout, out _))
        {
            problems.Add($"spec.delivery.timeout '{timeout}' must be an ISO-8601 duration such as PT30S");
        }
    }

    private static void SecretRef(List<string> problems, SecretValueFromSource? value, string field)
    {
        if (value is not null && (string.IsNullOrEmpty(value.SecretKeyRef?.Name) || string.IsNullOrEmpty(value.SecretKeyRef.Key)))
        {
            problems.Add($"{field}.secretKeyRef needs name and key");
        }
    }

    private static void Require(List<string> problems, string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field} is required");
        }
    }

    private static void Range(List<string> problems, int? value, IntRange range, string field)
    {
        if (value is { } v && !range.Contains(v))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field} {v} must be {range}"));
        }
    }

    private static void GoDuration(List<string> problems, string? text, DurationRange range, string field)
    {
        if (text is not null && (!Durations.TryParseGo(text, out var value) || !range.Contains(value)))
        {
            problems.Add($"{field} '{text}' must be a duration such as 30s {range}");
        }
    }

    private static void OneOf(List<string> problems, string? value, IReadOnlyList<string> allowed, string field)
    {
        if (value is not null && !allowed.Contains(value))
        {
            problems.Add($"{field} '{value}' must be {string.Join(" or ", allowed)}");
        }
    }
}
