using System.Globalization;
using System.Text.RegularExpressions;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>
/// Parses durations written Go-style (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>) or as
/// ISO-8601 (<c>PT30S</c>, <c>P1DT2H</c>), the two spellings Knative configuration uses.
/// </summary>
internal static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var value = text.Trim();
        if (value.Length == 0)
        {
            return false;
        }

        return value[0] is 'P' or 'p' ? TryParseIso(value, out duration) : TryParseGo(value, out duration);
    }

    private static bool TryParseGo(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (value == "0")
        {
            return true;
        }

        var matches = GoPart().Matches(value);
        var consumed = matches.Sum(m => m.Length);
        if (matches.Count == 0 || consumed != value.Length)
        {
            return false;
        }

        double ticks = 0;
        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * TicksPerUnit(match.Groups[2].Value);
        }

        return ToTimeSpan(ticks, out duration);
    }

    private static bool TryParseIso(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = IsoDuration().Match(value.ToUpperInvariant());
        if (!match.Success || value.Length <= 1 || value.EndsWith('T') || value.EndsWith('t'))
        {
            return false;
        }

        double ticks = 0;
        ticks += Part(match, "d") * TimeSpan.TicksPerDay;
        ticks += Part(match, "h") * TimeSpan.TicksPerHour;
        ticks += Part(match, "m") * TimeSpan.TicksPerMinute;
        ticks += Part(match, "s") * TimeSpan.TicksPerSecond;
        return ToTimeSpan(ticks, out duration);
    }

    private static double Part(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static bool ToTimeSpan(double ticks, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.IsNaN(ticks) || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    private static double TicksPerUnit(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(@"(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoPart();

    [GeneratedRegex(@"^P(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<m>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();
}
