using System.Globalization;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The receive adapter's environment, as the controller would set it in the pod for the sample's
/// RocketMQSource (name "orders" in namespace "food-delivery"), pointed at this machine. Pure.
/// </summary>
internal static class AdapterEnvironment
{
    public const string SourceName = "orders";
    public const string SourceNamespace = "food-delivery";

    /// <summary>Prefixes of the adapter's variables: inherited ones are removed so only what is set here applies.</summary>
    public static readonly IReadOnlyList<string> OwnedPrefixes = ["K_", "ROCKETMQ_"];

    public static IReadOnlyDictionary<string, string> For(LocalRunOptions options, string endpoints, Uri sink, int healthPort, int metricsPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["K_SINK"] = sink.ToString(),
            ["NAME"] = SourceName,
            ["NAMESPACE"] = SourceNamespace,
            ["ROCKETMQ_ENDPOINTS"] = endpoints,
            ["ROCKETMQ_TOPIC"] = options.Topic,
            ["ROCKETMQ_CONSUMER_GROUP"] = options.ConsumerGroup,
            ["ROCKETMQ_FILTER_TYPE"] = "TAG",
            ["ROCKETMQ_FILTER_EXPRESSION"] = options.FilterExpression,
            ["HEALTH_PORT"] = healthPort.ToString(CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
        {
            env["ROCKETMQ_ACCESS_KEY"] = options.AccessKey;
            env["ROCKETMQ_SECRET_KEY"] = options.SecretKey;
        }

        return env;
    }
}
