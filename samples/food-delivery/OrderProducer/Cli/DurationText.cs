using System.Globalization;
using System.Text.RegularExpressions;

namespace FoodDelivery.OrderProducer.Cli;

/// <summary>Go-style durations as kubectl and Knative write them: "90s", "15m", "1h30m", "2m30s", "500ms".</summary>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success || text!.Length == 0)
        {
            return false;
        }

        duration = TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m"))
            + TimeSpan.FromSeconds(Number(match, "s")) + TimeSpan.FromMilliseconds(Number(match, "ms"));
        return duration > TimeSpan.Zero;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes}m{duration.Seconds}s"
        : duration.TotalMinutes >= 1 ? $"{duration.Minutes}m{duration.Seconds}s"
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");

    private static int Number(Match match, string unit) =>
        match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,4})h)?(?:(?<m>[0-9]{1,6})m(?!s))?(?:(?<s>[0-9]{1,7})s)?(?:(?<ms>[0-9]{1,7})ms)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
