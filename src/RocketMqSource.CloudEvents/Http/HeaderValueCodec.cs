using System.Buffers;
using System.Text;

namespace RocketMqSource.CloudEvents.Http;

/// <summary>
/// Percent-encoding of attribute values in HTTP headers (HTTP Protocol Binding 1.0.2, 3.1.3.2):
/// space, double quote, percent and everything outside printable ASCII (U+0021-U+007E) is written
/// as %XX of its UTF-8 bytes; receivers decode every %XX and require valid UTF-8.
/// </summary>
internal static class HeaderValueCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool NeedsEncoding(char c) => c <= ' ' || c >= '\u007F' || c is '"' or '%';

    /// <summary>The header form of a value; returns the same string when nothing needs escaping.</summary>
    public static string Encode(string value)
    {
        var first = value.AsSpan().IndexOfAnyExceptInRange('\u0021', '\u007E');
        var firstSpecial = value.AsSpan().IndexOfAny('"', '%');
        if (first < 0 && firstSpecial < 0)
        {
            return value;
        }

        var maxBytes = StrictUtf8.GetMaxByteCount(value.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var count = StrictUtf8.GetBytes(value, rented);
            var builder = new StringBuilder(count * 3);
            foreach (var b in rented.AsSpan(0, count))
            {
                if (b < 0x80 && !NeedsEncoding((char)b))
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%').Append(HexUpper(b >> 4)).Append(HexUpper(b & 0xF));
                }
            }

            return builder.ToString();
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("the value is not valid UTF-16 text", nameof(value), e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes a header value; throws FormatException on a broken %XX or invalid UTF-8.</summary>
    public static string Decode(string headerValue)
    {
        if (!headerValue.Contains('%', StringComparison.Ordinal))
        {
            return headerValue;
        }

        var bytes = new List<byte>(headerValue.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < headerValue.Length; i++)
        {
            var c = headerValue[i];
            if (c == '%')
            {
                if (i + 2 >= headerValue.Length || HexValue(headerValue[i + 1]) is not { } high || HexValue(headerValue[i + 2]) is not { } low)
                {
                    throw new FormatException($"broken percent-encoding at index {i} of '{headerValue}'");
                }

                bytes.Add((byte)((high << 4) | low));
                i += 2;
                continue;
            }

            var written = Encoding.UTF8.GetBytes([c], utf8);
            for (var k = 0; k < written; k++)
            {
                bytes.Add(utf8[k]);
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"'{headerValue}' does not decode to valid UTF-8", e);
        }
    }

    private static char HexUpper(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private static int? HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };
}
