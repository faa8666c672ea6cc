using System.Globalization;
using System.Text.RegularExpressions;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>The two duration spellings of the CRD: Go style for consumer tuning, ISO-8601 for delivery.</summary>
internal static partial class Durations
{
    /// <summary>"30s", "1m30s", "12h" (whole h, m, s, as the CRD pattern allows).</summary>
    public static bool TryParseGo(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || GoPattern().Match(text) is not { Success: true } match)
        {
            return false;
        }

        duration = TimeSpan.FromHours(Number(match.Groups["h"])) + TimeSpan.FromMinutes(Number(match.Groups["m"])) + TimeSpan.FromSeconds(Number(match.Groups["s"]));
        return true;
    }

    /// <summary>"PT0.2S", "PT30S", "P1DT2H": days, hours, minutes and fractional seconds.</summary>
    public static bool TryParseIso(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || IsoPattern().Match(text) is not { Success: true } match || text is "P" || text.EndsWith('T'))
        {
            return false;
        }

        var seconds = match.Groups["s"].Success ? decimal.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0m;
        duration = TimeSpan.FromDays(Number(match.Groups["d"])) + TimeSpan.FromHours(Number(match.Groups["h"]))
            + TimeSpan.FromMinutes(Number(match.Groups["m"])) + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Whole seconds, rounded up (K_SINK_TIMEOUT).</summary>
    public static long CeilingSeconds(TimeSpan duration) =>
        (duration.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

    private static long Number(Group group) =>
        group.Success ? long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("^(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?$")]
    private static partial Regex GoPattern();

    [GeneratedRegex(@"^P(?:(?<d>[0-9]+)D)?(?:T(?:(?<h>[0-9]+)H)?(?:(?<m>[0-9]+)M)?(?:(?<s>[0-9]+(?:\.[0-9]+)?)S)?)?$")]
    private static partial Regex IsoPattern();
}
