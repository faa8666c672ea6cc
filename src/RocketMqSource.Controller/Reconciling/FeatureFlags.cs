namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Knative Eventing's feature flags from the config-features ConfigMap, read the way
/// knative/eventing pkg/apis/feature/features.go NewFlagsConfigFromMap reads them: keys starting
/// with "_" are ignored, keys are trimmed, values match Enabled/Disabled/Allowed case-insensitively.
/// A missing flag is not enabled. Values Knative reserves for other flags (permissive, strict,
/// authorization modes, node selectors) are not ours to judge and leave the flag unset.
/// </summary>
internal sealed class FeatureFlags
{
    public const string ConfigMapName = "config-features";
    public const string CrossNamespaceEventLinks = "cross-namespace-event-links";
    public const string OIDCAuthentication = "authentication-oidc";

    private readonly Dictionary<string, FeatureState> flags;

    private FeatureFlags(Dictionary<string, FeatureState> flags) => this.flags = flags;

    /// <summary>Every feature at its default (none enabled): Knative's defaults for the two flags read here.</summary>
    public static FeatureFlags Defaults { get; } = new([]);

    public bool IsCrossNamespaceEventLinks => IsEnabled(CrossNamespaceEventLinks);

    public bool IsOIDCAuthentication => IsEnabled(OIDCAuthentication);

    public static FeatureFlags Parse(IDictionary<string, string>? data)
    {
        var parsed = new Dictionary<string, FeatureState>(StringComparer.Ordinal);
        foreach (var (key, value) in data ?? new Dictionary<string, string>())
        {
            if (key.StartsWith('_'))
            {
                continue;
            }

            FeatureState? state = value switch
            {
                _ when string.Equals(value, "Allowed", StringComparison.OrdinalIgnoreCase) => FeatureState.Allowed,
                _ when string.Equals(value, "Disabled", StringComparison.OrdinalIgnoreCase) => FeatureState.Disabled,
                _ when string.Equals(value, "Enabled", StringComparison.OrdinalIgnoreCase) => FeatureState.Enabled,
                _ => null,
            };
            if (state is { } known)
            {
                parsed[key.Trim()] = known;
            }
        }

        return new FeatureFlags(parsed);
    }

    public bool IsEnabled(string feature) => flags.GetValueOrDefault(feature) == FeatureState.Enabled;

    public override string ToString() => string.Join(", ", flags.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));

    private enum FeatureState
    {
        Unset,
        Enabled,
        Disabled,
        Allowed,
    }
}
