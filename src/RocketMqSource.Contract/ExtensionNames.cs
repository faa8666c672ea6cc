namespace RocketMqSource.Contract;

/// <summary>
/// Which names spec.ceOverrides (K_CE_OVERRIDES) may give an extension. The CloudEvents spec
/// (cloudevents/spec cloudevents/spec.md, "Naming Conventions", which extension attributes follow)
/// says names MUST be lower-case ASCII letters or digits and SHOULD NOT exceed 20 characters;
/// Knative's own ceOverrides validation (knative/pkg apis/duck/v1/source_types.go
/// validateExtensionName) checks only that a name is non-empty and alphanumeric: it dropped the
/// 20-character limit as a SHOULD (knative/pkg #2251), and the Go SDK refuses a core attribute when
/// the adapter sets it (sdk-go v2 event/eventcontext_v1.go SetExtension). So, as a Knative user
/// expects: one or more lower-case letters or digits, any length, never a core attribute; refused
/// when the spec is applied rather than on every event.
/// </summary>
public static class ExtensionNames
{
    /// <summary>The CloudEvents 1.0 context attributes and <c>data</c>, which no extension may be named.</summary>
    public static IReadOnlyList<string> Reserved { get; } =
        ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data"];

    /// <summary>What is wrong with <paramref name="name"/> as an override's extension name, or null when it is allowed.</summary>
    public static string? Problem(string name) =>
        name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            ? $"extension name '{name}' must be one or more lower-case letters or digits"
            : Reserved.Contains(name)
                ? $"extension name '{name}' is a core CloudEvents attribute and cannot be overridden"
                : null;
}
