using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using RocketMqSource.Adapter.Conversion;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Writes an event as an HTTP binary-mode request (HTTP binding 1.0 §3.1) with the same bytes on
/// the wire as the SDK's <c>ToHttpContent(ContentMode.Binary, formatter)</c> (CloudNative.CloudEvents
/// 2.9.0 Http/HttpContentExtensions.cs): Content-Type from datacontenttype (or the one the formatter
/// infers) as the SDK normalises it, then ce-specversion, then a ce- header per populated attribute
/// in the event's order, each value percent-encoded as §3.1.3.2 says. The oracle property
/// (tests/RocketMqSource.Adapter.Tests/Properties/BinaryModeOracleProperties.cs) holds it to the
/// SDK's output over generated events. What it skips is the SDK's per-event work: a StringBuilder and
/// string per header value, a ContentType parse per event, and header name concatenation. Data
/// without a datacontenttype is sent with no Content-Type (the SDK refuses that event; the attribute
/// is OPTIONAL and the binding then sends none).
/// </summary>
internal static class BinaryModeContent
{
    private const string HeaderPrefix = "ce-";
    private const string ContentTypeHeader = "Content-Type";
    private const string SpecVersionHeader = HeaderPrefix + "specversion";

    /// <summary>Header names past which new attribute names are concatenated per event rather than kept (user property names are unbounded).</summary>
    private const int MaxCachedNames = 1024;

    private static readonly ConcurrentDictionary<string, string> HeaderNames = new(StringComparer.Ordinal);

    /// <summary>The last datacontenttype and its header value: a source's events mostly share one.</summary>
    private static ContentTypeHeaderValue? lastContentType;

    /// <summary>A plain message's event straight from its attributes and body; any other through its CloudEvent.</summary>
    public static HttpContent For(ConvertedEvent converted, CloudEventFormatter formatter)
    {
        if (converted.Attributes is not { } attributes)
        {
            return For(converted.ToCloudEvent(), formatter);
        }

        // byte[] data: the formatter infers no content type for it, so datacontenttype is the header.
        var content = new ByteArrayContent(converted.Body!);
        var dataContentTypeAttribute = CloudEventsSpecVersion.Default.DataContentTypeAttribute;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Key == dataContentTypeAttribute)
            {
                content.Headers.TryAddWithoutValidation(ContentTypeHeader, ContentTypeValue((string)attributes[i].Value));
            }
        }

        content.Headers.TryAddWithoutValidation(SpecVersionHeader, Encode(CloudEventsSpecVersion.Default.VersionId));
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Key != dataContentTypeAttribute)
            {
                AddAttribute(content, attributes[i].Key, attributes[i].Value);
            }
        }

        return content;
    }

    public static HttpContent For(CloudEvent cloudEvent, CloudEventFormatter formatter)
    {
        if (!cloudEvent.IsValid)
        {
            // Throws the SDK's own ArgumentException naming the missing attributes.
            Validation.CheckCloudEventArgument(cloudEvent, nameof(cloudEvent));
        }

        var content = Body(cloudEvent, formatter);
        // As the SDK: the formatter infers one for data it serialises itself (JSON for the JSON format).
        if (formatter.GetOrInferDataContentType(cloudEvent) is { } dataContentType)
        {
            content.Headers.TryAddWithoutValidation(ContentTypeHeader, ContentTypeValue(dataContentType));
        }

        var dataContentTypeAttribute = cloudEvent.SpecVersion.DataContentTypeAttribute;
        content.Headers.TryAddWithoutValidation(SpecVersionHeader, Encode(cloudEvent.SpecVersion.VersionId));
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute != dataContentTypeAttribute)
            {
                AddAttribute(content, attribute, value);
            }
        }

        return content;
    }

    /// <summary>
    /// A header value as §3.1.3.2 wants it: space, double quote, percent and everything outside
    /// printable ASCII percent-encoded as UTF-8 (hex digits upper-case, as the SDK writes them). A
    /// value that needs none is returned as it is.
    /// </summary>
    public static string Encode(string value)
    {
        var length = EncodedLength(value);
        return length == value.Length ? value : string.Create(length, value, static (target, source) =>
        {
            Span<byte> utf8 = stackalloc byte[4];
            var at = 0;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (!NeedsEncoding(c))
                {
                    target[at++] = c;
                    continue;
                }

                var rune = Rune.GetRuneAt(source, i);
                i += rune.Utf16SequenceLength - 1;
                var count = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < count; b++)
                {
                    target[at++] = '%';
                    target[at++] = HexDigit(utf8[b] >> 4);
                    target[at++] = HexDigit(utf8[b] & 0xF);
                }
            }
        });
    }

    /// <summary>The attribute's ce- header: its canonical string, percent-encoded.</summary>
    private static void AddAttribute(HttpContent content, CloudEventAttribute attribute, object value) =>
        content.Headers.TryAddWithoutValidation(HeaderName(attribute.Name), Encode(attribute.Format(value)));

    private static ByteArrayContent Body(CloudEvent cloudEvent, CloudEventFormatter formatter)
    {
        // byte[] data (every plain message, every binary-mode forwarded one) is the body as it is.
        if (cloudEvent.Data is byte[] bytes)
        {
            return new ByteArrayContent(bytes);
        }

        var encoded = formatter.EncodeBinaryModeEventData(cloudEvent);
        return MemoryMarshal.TryGetArray(encoded, out var segment)
            ? new ByteArrayContent(segment.Array!, segment.Offset, segment.Count)
            : new ByteArrayContent(encoded.ToArray());
    }

    /// <summary>The Content-Type the SDK writes for a datacontenttype: its <see cref="System.Net.Mime.ContentType"/> as a media type header, computed once per distinct value in a row.</summary>
    private static string ContentTypeValue(string dataContentType)
    {
        if (lastContentType is { } last && string.Equals(last.DataContentType, dataContentType, StringComparison.Ordinal))
        {
            return last.HeaderValue;
        }

        var header = MimeUtilities.ToMediaTypeHeaderValue(MimeUtilities.CreateContentTypeOrNull(dataContentType))!.ToString();
        lastContentType = new ContentTypeHeaderValue(dataContentType, header);
        return header;
    }

    private static string HeaderName(string attributeName)
    {
        if (HeaderNames.TryGetValue(attributeName, out var name))
        {
            return name;
        }

        name = HeaderPrefix + attributeName;
        if (HeaderNames.Count < MaxCachedNames)
        {
            HeaderNames.TryAdd(attributeName, name);
        }

        return name;
    }

    /// <summary>The encoded length; a lone surrogate throws, as the SDK's char.ConvertToUtf32 does.</summary>
    private static int EncodedLength(string value)
    {
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!NeedsEncoding(c))
            {
                length++;
                continue;
            }

            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException($"the attribute value has an unpaired surrogate at {i}");
            }

            i += consumed - 1;
            length += 3 * rune.Utf8SequenceLength;
        }

        return length;
    }

    private static bool NeedsEncoding(char c) => c is <= ' ' or '"' or '%' or >= '\u007F';

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private sealed record ContentTypeHeaderValue(string DataContentType, string HeaderValue);
}
