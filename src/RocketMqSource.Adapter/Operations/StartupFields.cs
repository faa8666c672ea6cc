using System.Globalization;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Logging;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// The effective configuration as the start-up line's structured fields, each once (pure).
/// Credentials appear as present or absent only; certificates as a count.
/// </summary>
internal static class StartupFields
{
    public static IReadOnlyList<KeyValuePair<string, object?>> Of(AdapterOptions options)
    {
        var rocketMq = options.RocketMq;
        var sink = options.Sink;
        return
        [
            new("sink", sink.Uri.ToString()),
            new("deadLetterSink", sink.DeadLetterSink?.ToString()),
            new("sinkTimeoutSeconds", sink.Timeout.TotalSeconds),
            new("audience", sink.Audience),
            new("endpoints", string.Join(';', rocketMq.Endpoints)),
            new("rocketmqNamespace", rocketMq.Namespace),
            new("topic", rocketMq.Topic),
            new("consumerGroup", rocketMq.ConsumerGroup),
            new("filter", $"{rocketMq.FilterType.ToString().ToUpperInvariant()} {rocketMq.FilterExpression}"),
            new("tls", rocketMq.Tls),
            new("caCertificates", rocketMq.CaCertificates?.Count ?? 0),
            new("credentials", rocketMq.Credentials is null ? "absent" : "present"),
            new("securityToken", rocketMq.Credentials?.SecurityToken is null ? "absent" : "present"),
            new("batchSize", rocketMq.BatchSize),
            new("maxInFlight", rocketMq.MaxInFlight),
            new("invisibleDuration", Seconds(rocketMq.InvisibleDuration)),
            new("awaitDuration", Seconds(rocketMq.AwaitDuration)),
            new("ordering", rocketMq.Ordering.ToString().ToLowerInvariant()),
            new("retry", options.Retry.Retry),
            new("backoffPolicy", options.Retry.BackoffPolicy.ToString().ToLowerInvariant()),
            new("backoffDelay", Seconds(options.Retry.BackoffDelay)),
            new("logLevel", ZapLevels.Name(options.Operations.LogLevel)),
        ];
    }

    private static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds}s");
}
