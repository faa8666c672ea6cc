using System.Globalization;

namespace RocketMqSource.CloudEvents.Internal;

/// <summary>RFC 3339 timestamps (the Timestamp attribute type), parsed strictly and formatted canonically.</summary>
internal static class Rfc3339
{
    /// <summary>
    /// "Z" for UTC, otherwise the offset; fractional seconds only as far as they are non-zero.
    /// </summary>
    public static string Format(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[40];
        var written = 0;
        value.TryFormat(buffer, out var n, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        written += n;
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            buffer[written++] = '.';
            var digits = fraction.ToString("D7", CultureInfo.InvariantCulture).AsSpan().TrimEnd('0');
            digits.CopyTo(buffer[written..]);
            written += digits.Length;
        }

        if (value.Offset == TimeSpan.Zero)
        {
            buffer[written++] = 'Z';
        }
        else
        {
            var offset = value.Offset;
            buffer[written++] = offset < TimeSpan.Zero ? '-' : '+';
            offset = offset.Duration();
            offset.TryFormat(buffer[written..], out n, @"hh\:mm", CultureInfo.InvariantCulture);
            written += n;
        }

        return new string(buffer[..written]);
    }

    /// <summary>Parses date-time per RFC 3339 section 5.6. Returns null with a reason when invalid.</summary>
    public static DateTimeOffset? TryParse(string text, out string? error)
    {
        error = $"'{text}' is not an RFC 3339 timestamp";
        var s = text.AsSpan();
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] is not ('T' or 't') || s[13] != ':' || s[16] != ':')
        {
            return null;
        }

        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute)
            || !Digits(s.Slice(17, 2), out var second))
        {
            return null;
        }

        var rest = s[19..];
        long fractionTicks = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var count = 1;
            while (count < rest.Length && char.IsAsciiDigit(rest[count]))
            {
                count++;
            }

            if (count == 1)
            {
                return null;
            }

            var digits = rest[1..count];
            long scale = TimeSpan.TicksPerSecond / 10;
            foreach (var d in digits)
            {
                fractionTicks += (d - '0') * scale;
                scale /= 10;
            }

            rest = rest[count..];
        }

        TimeSpan offset;
        if (rest is ['Z' or 'z'])
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':'
            && Digits(rest.Slice(1, 2), out var offsetHours) && Digits(rest.Slice(4, 2), out var offsetMinutes)
            && offsetHours < 24 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return null;
        }

        if (second == 60)
        {
            error = $"'{text}' is a leap second, which cannot be represented";
            return null;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return null;
        }

        try
        {
            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
            error = null;
            return new DateTimeOffset(local, offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
