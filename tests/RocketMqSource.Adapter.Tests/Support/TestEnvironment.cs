namespace RocketMqSource.Adapter.Tests.Support;

internal static class TestEnvironment
{
    /// <summary>The smallest valid adapter environment, plus the given changes (null removes a variable).</summary>
    public static Dictionary<string, string?> Valid(params (string Name, string? Value)[] changes)
    {
        var env = new Dictionary<string, string?>
        {
            ["K_SINK"] = "http://broker-ingress.knative-eventing.svc.cluster.local/default/default",
            ["ROCKETMQ_ENDPOINTS"] = "rocketmq-proxy:8081",
            ["ROCKETMQ_TOPIC"] = "orders",
            ["ROCKETMQ_CONSUMER_GROUP"] = "order-adapter",
        };
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                env.Remove(name);
            }
            else
            {
                env[name] = value;
            }
        }

        return env;
    }
}
