using System.Globalization;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>Kubernetes resource quantities ("500m", "0.5", "128Mi", "1e3") as numbers, for comparison.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m),
        ("T", 1_000_000_000_000m), ("P", 1_000_000_000_000_000m), ("E", 1_000_000_000_000_000_000m),
    ];

    public static bool TryParse(string text, out decimal value)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = number * factor;
                return true;
            }
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
