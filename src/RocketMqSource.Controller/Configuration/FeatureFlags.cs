namespace RocketMqSource.Controller.Configuration;

/// <summary>How the cluster asks event producers to use TLS (knative/eventing pkg/apis/feature/features.go).</summary>
internal enum TransportEncryption
{
    /// <summary>The default: producers may send to https addresses.</summary>
    Disabled,

    /// <summary>Addressables advertise http and https; producers must send to https when it is available.</summary>
    Permissive,

    /// <summary>Addressables advertise and accept only https.</summary>
    Strict,
}

/// <summary>
/// Knative Eventing's feature flags from the config-features ConfigMap, read the way
/// knative/eventing pkg/apis/feature/features.go NewFlagsConfigFromMap reads them: keys starting
/// with "_" are ignored, keys are trimmed, values match Enabled/Disabled/Allowed case-insensitively,
/// and transport-encryption also takes Permissive and Strict. A missing flag is not enabled.
/// Values Knative reserves for other flags (authorization modes, node selectors) are not ours to
/// judge and leave the flag unset.
/// </summary>
internal sealed class FeatureFlags
{
    public const string ConfigMapName = "config-features";
    public const string CrossNamespaceEventLinks = "cross-namespace-event-links";
    public const string OIDCAuthentication = "authentication-oidc";
    public const string TransportEncryptionFlag = "transport-encryption";

    private readonly Dictionary<string, FeatureState> flags;

    private FeatureFlags(Dictionary<string, FeatureState> flags) => this.flags = flags;

    /// <summary>Every feature at its default (none enabled, transport encryption disabled), as Knative's newDefaults.</summary>
    public static FeatureFlags Defaults { get; } = new([]);

    public bool IsCrossNamespaceEventLinks => IsEnabled(CrossNamespaceEventLinks);

    public bool IsOIDCAuthentication => IsEnabled(OIDCAuthentication);

    public TransportEncryption TransportEncryption => flags.GetValueOrDefault(TransportEncryptionFlag) switch
    {
        FeatureState.Permissive => TransportEncryption.Permissive,
        FeatureState.Strict => TransportEncryption.Strict,
        _ => TransportEncryption.Disabled,
    };

    public static FeatureFlags Parse(IDictionary<string, string>? data)
    {
        var parsed = new Dictionary<string, FeatureState>(StringComparer.Ordinal);
        foreach (var (key, value) in data ?? new Dictionary<string, string>())
        {
            if (key.StartsWith('_'))
            {
                continue;
            }

            var name = key.Trim();
            FeatureState? state = value switch
            {
                _ when string.Equals(value, "Allowed", StringComparison.OrdinalIgnoreCase) => FeatureState.Allowed,
                _ when string.Equals(value, "Disabled", StringComparison.OrdinalIgnoreCase) => FeatureState.Disabled,
                _ when string.Equals(value, "Enabled", StringComparison.OrdinalIgnoreCase) => FeatureState.Enabled,
                _ when name == TransportEncryptionFlag && string.Equals(value, "Permissive", StringComparison.OrdinalIgnoreCase) => FeatureState.Permissive,
                _ when name == TransportEncryptionFlag && string.Equals(value, "Strict", StringComparison.OrdinalIgnoreCase) => FeatureState.Strict,
                _ => null,
            };
            if (state is { } known)
            {
                parsed[name] = known;
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
        Permissive,
        Strict,
    }
}
