using System.Globalization;
using System.Text.RegularExpressions;

namespace FoodDelivery.LocalRun.Cli;

/// <summary>Durations as Go and Knative write them: "15s", "500ms", "1m30s".</summary>
internal static partial class DurationOption
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success || string.IsNullOrEmpty(text))
        {
            return false;
        }

        value = TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s")) + TimeSpan.FromMilliseconds(Number(match, "ms"));
        return value > TimeSpan.Zero;
    }

    private static int Number(Match match, string unit) =>
        match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<m>[0-9]{1,4})m)?(?:(?<s>[0-9]{1,6})s)?(?:(?<ms>[0-9]{1,7})ms)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
