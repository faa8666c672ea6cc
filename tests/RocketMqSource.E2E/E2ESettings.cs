using RocketMqSource.Testing;

namespace RocketMqSource.E2E;

/// <summary>
/// What the suite runs against, read from the environment hack/e2e-kind.sh sets (docs/e2e.md lists
/// each variable). The cluster itself is the one in KUBECONFIG, read by the official client.
/// </summary>
internal sealed record E2ESettings(
    string ReleaseManifest,
    string OrderServiceImage,
    string AccessKey,
    string SecretKey,
    string? ProxyEndpoint)
{
    /// <summary>The one switch: nothing touches a cluster unless it is "1".</summary>
    public const string EnableVariable = "ROCKETMQSOURCE_E2E";

    public const string ReleaseVariable = "ROCKETMQSOURCE_E2E_RELEASE";
    public const string OrderServiceImageVariable = "ROCKETMQSOURCE_E2E_ORDER_SERVICE_IMAGE";
    public const string AccessKeyVariable = "ROCKETMQSOURCE_E2E_ACCESS_KEY";
    public const string SecretKeyVariable = "ROCKETMQSOURCE_E2E_SECRET_KEY";

    /// <summary>Optional host:port of the RocketMQ proxy as this machine reaches it; without it the suite port-forwards.</summary>
    public const string ProxyVariable = "ROCKETMQSOURCE_E2E_PROXY";

    public static bool Enabled => Environment.GetEnvironmentVariable(EnableVariable) == "1";

    /// <summary>Every required variable, or one exception naming all that are missing.</summary>
    public static E2ESettings FromEnvironment()
    {
        var missing = new List<string>();
        string Required(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                missing.Add(name);
            }

            return value ?? string.Empty;
        }

        var release = Environment.GetEnvironmentVariable(ReleaseVariable) is { Length: > 0 } path ? path : RepoPaths.Combine("release", "rocketmqsource.yaml");
        var settings = new E2ESettings(
            release,
            Required(OrderServiceImageVariable),
            Required(AccessKeyVariable),
            Required(SecretKeyVariable),
            Environment.GetEnvironmentVariable(ProxyVariable) is { Length: > 0 } proxy ? proxy : null);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{EnableVariable}=1 but {string.Join(", ", missing)} not set (docs/e2e.md; hack/e2e-kind.sh sets them)");
        }

        if (!File.Exists(release))
        {
            throw new InvalidOperationException($"no release manifest at {release} (set {ReleaseVariable}; `KO_DOCKER_REPO=kind.local hack/release.sh` writes one)");
        }

        return settings;
    }
}
