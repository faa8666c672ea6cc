using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RocketMqSource.Contract;

/// <summary>
/// The two duration spellings Knative configuration uses, parsed once for the controller, the
/// adapter and the samples: Go's (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>; consumer
/// tuning, config maps, adapter variables) and ISO-8601 (<c>PT0.2S</c>, <c>P1DT2H</c>; Knative's
/// delivery spec).
/// </summary>
public static partial class Durations
{
    /// <summary>Either spelling: ISO-8601 when the text starts with P, else Go's.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        var value = text?.Trim() ?? string.Empty;
        return value.StartsWith('P') || value.StartsWith('p') ? TryParseIso(value, out duration) : TryParseGo(value, out duration);
    }

    /// <summary>
    /// Go's time.ParseDuration grammar: decimal numbers, each with a unit (ns, us, µs, ms, s, m, h),
    /// in any order, or a bare <c>0</c>. No sign: every duration here is a length of time.
    /// </summary>
    public static bool TryParseGo(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        decimal ticks = 0;
        var at = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.'))
            {
                at++;
            }

            var number = text[start..at];
            var unitStart = at;
            while (at < text.Length && !char.IsAsciiDigit(text[at]) && text[at] != '.')
            {
                at++;
            }

            if (!TryNumber(number, out var value) || TicksPer(text[unitStart..at]) is not { } perUnit || !TryAdd(ref ticks, value, perUnit))
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)decimal.Round(ticks));
        return true;
    }

    /// <summary>ISO-8601 durations of days, hours, minutes and seconds (<c>PT30S</c>, <c>PT0.2S</c>, <c>P1DT2H</c>), any case.</summary>
    public static bool TryParseIso(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || IsoPattern().Match(text) is not { Success: true } match || text.Length == 1 || text[^1] is 'T' or 't')
        {
            return false;
        }

        decimal ticks = 0;
        foreach (var (group, perUnit) in IsoUnits)
        {
            if (match.Groups[group].Success)
            {
                if (!TryNumber(match.Groups[group].Value, out var value) || !TryAdd(ref ticks, value, perUnit))
                {
                    return false;
                }
            }
        }

        duration = TimeSpan.FromTicks((long)decimal.Round(ticks));
        return true;
    }

    /// <summary>The exact duration in Go's spelling, shortest form (<c>12h</c>, <c>1m30s</c>, <c>200ms</c>, <c>1h0.1s</c>); it parses back to the same value.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder(duration < TimeSpan.Zero ? "-" : string.Empty);
        var ticks = Math.Abs((decimal)duration.Ticks);
        if (ticks < TimeSpan.TicksPerSecond)
        {
            return text.Append((ticks / TimeSpan.TicksPerMillisecond).ToString("0.####", CultureInfo.InvariantCulture)).Append("ms").ToString();
        }

        var hours = decimal.Floor(ticks / TimeSpan.TicksPerHour);
        var minutes = decimal.Floor((ticks - (hours * TimeSpan.TicksPerHour)) / TimeSpan.TicksPerMinute);
        var seconds = (ticks - (hours * TimeSpan.TicksPerHour) - (minutes * TimeSpan.TicksPerMinute)) / TimeSpan.TicksPerSecond;
        Append(text, hours, "h");
        Append(text, minutes, "m");
        Append(text, seconds, "s");
        return text.ToString();
    }

    /// <summary>Whole seconds, rounded up (K_SINK_TIMEOUT).</summary>
    public static long CeilingSeconds(TimeSpan duration) =>
        (duration.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

    private static readonly (string Group, decimal TicksPerUnit)[] IsoUnits =
        [("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond)];

    private static void Append(StringBuilder text, decimal value, string unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString("0.#######", CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    /// <summary>Adds value × unit to the ticks unless the sum would pass the longest TimeSpan.</summary>
    private static bool TryAdd(ref decimal ticks, decimal value, decimal ticksPerUnit)
    {
        if (value > (TimeSpan.MaxValue.Ticks - ticks) / ticksPerUnit)
        {
            return false;
        }

        ticks += value * ticksPerUnit;
        return true;
    }

    /// <summary>Digits with an optional fraction (<c>1</c>, <c>1.5</c>, <c>.5</c>, <c>1.</c>, as Go reads them).</summary>
    private static bool TryNumber(string text, out decimal value)
    {
        value = 0;
        return text.Any(char.IsAsciiDigit) && text.Count(c => c == '.') <= 1
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static decimal? TicksPer(string unit) => unit switch
    {
        "ns" => 0.01m,
        "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        _ => null,
    };

    [GeneratedRegex(@"^P(?:(?<d>[0-9.]+)D)?(?:T(?:(?<h>[0-9.]+)H)?(?:(?<m>[0-9.]+)M)?(?:(?<s>[0-9.]+)S)?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoPattern();
}
