using System.Globalization;
using System.Text.RegularExpressions;

namespace FoodDelivery.OrderService.Orders;

/// <summary>RFC 3339 date-times ("2026-11-21T12:30:00Z", "2026-11-21T20:30:00.5+08:00") and nothing looser.</summary>
internal static partial class Rfc3339
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // .NET parses at most 7 fractional digits; RFC 3339 allows any number, so drop the excess.
        var fraction = match.Groups["fraction"].Value;
        var normalized = match.Groups["main"].Value
            + (fraction.Length > 8 ? fraction[..8] : fraction)
            + match.Groups["offset"].Value.ToUpperInvariant();
        return DateTimeOffset.TryParse(
            normalized.Replace('t', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    [GeneratedRegex(@"^(?<main>\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?<fraction>\.\d+)?(?<offset>[Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
