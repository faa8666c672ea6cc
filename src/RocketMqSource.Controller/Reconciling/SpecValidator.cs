using System.Globalization;
using System.Text.RegularExpressions;
using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Re-checks what the CRD schema promises (it may be older than the controller, or CEL may be
/// off), so a bad spec becomes an InvalidSpec condition instead of a crash-looping adapter.
/// </summary>
internal static partial class SpecValidator
{
    private static readonly string[] CoreAttributes = ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data"];

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
        else if (!spec.Endpoints.Split(';').All(IsHostPort))
        {
            problems.Add($"spec.endpoints '{spec.Endpoints}' must be host:port, several separated by ';'");
        }

        Require(problems, spec.Topic, "spec.topic");
        Require(problems, spec.ConsumerGroup, "spec.consumerGroup");
        if (spec.Filter?.Type is { } type && type is not ("TAG" or "SQL92"))
        {
            problems.Add($"spec.filter.type '{type}' must be TAG or SQL92");
        }

        if (spec.Filter?.Type == "SQL92" && (string.IsNullOrWhiteSpace(spec.Filter.Expression) || spec.Filter.Expression == "*"))
        {
            problems.Add("spec.filter.expression: a SQL92 filter needs an expression");
        }

        ValidateCredentials(problems, spec);
        Range(problems, spec.BatchSize, 1, 32, "spec.batchSize");
        Range(problems, spec.MaxInFlight, 1, 4096, "spec.maxInFlight");
        Range(problems, spec.Replicas, 0, 100, "spec.replicas");
        GoDuration(problems, spec.InvisibleDuration, TimeSpan.FromSeconds(10), TimeSpan.FromHours(12), "spec.invisibleDuration");
        GoDuration(problems, spec.AwaitDuration, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), "spec.awaitDuration");
        if (spec.Ordering is { } ordering && ordering is not ("ordered" or "unordered"))
        {
            problems.Add($"spec.ordering '{ordering}' must be ordered or unordered");
        }

        ValidateDelivery(problems, spec.Delivery);
        foreach (var name in spec.CeOverrides?.Extensions?.Keys ?? [])
        {
            if (!ExtensionName().IsMatch(name) || CoreAttributes.Contains(name))
            {
                problems.Add($"spec.ceOverrides.extensions '{name}' must be 1 to 20 lowercase letters or digits and not a core attribute");
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

        Range(problems, delivery.Retry, 0, 100, "spec.delivery.retry");
        if (delivery.BackoffPolicy is { } policy && policy is not ("linear" or "exponential"))
        {
            problems.Add($"spec.delivery.backoffPolicy '{policy}' must be linear or exponential");
        }

        if (delivery.BackoffDelay is { } delay && !Durations.TryParseIso(delay, out _))
        {
            problems.Add($"spec.delivery.backoffDelay '{delay}' must be an ISO-8601 duration such as PT0.2S");
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

    private static void Range(List<string> problems, int? value, int min, int max, string field)
    {
        if (value is { } v && (v < min || v > max))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field} {v} must be between {min} and {max}"));
        }
    }

    private static void GoDuration(List<string> problems, string? text, TimeSpan min, TimeSpan max, string field)
    {
        if (text is null)
        {
            return;
        }

        if (!Durations.TryParseGo(text, out var value) || value < min || value > max)
        {
            problems.Add($"{field} '{text}' must be a duration such as 30s between {Format(min)} and {Format(max)}");
        }
    }

    private static string Format(TimeSpan value) =>
        value.TotalHours >= 1 && value.Minutes == 0 ? $"{value.TotalHours:0}h" : $"{value.TotalSeconds:0}s";

    private static bool IsHostPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
            && !endpoint[..colon].Contains('/', StringComparison.Ordinal)
            && int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    [GeneratedRegex("^[a-z0-9]{1,20}$")]
    private static partial Regex ExtensionName();
}
