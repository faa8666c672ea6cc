using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace RocketMqSource.CloudEvents.Tests.Support;

/// <summary>FsCheck generators of valid CloudEvents: every attribute type, non-ASCII text, all data kinds.</summary>
internal static class EventGenerators
{
    private static readonly string[] CoreNames =
        ["specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time", "data"];

    private static readonly string[] TextAlphabet =
    [
        "a", "b", "c", "X", "Y", "Z", "0", "1", "9", " ", "-", "_", ".", ":", "/", "%", "\"", "'", "+", "=", "&", "?",
        "#", "@", "!", "~", "\\", "{", "}", "[", "]", "<", ">", "é", "€", "ß", "中", "文", "Ω", "ñ", "😀", "%25", "\u00A0",
    ];

    public static Arbitrary<CloudEvent> Events { get; } = Arb.From(Event());

    /// <summary>Non-empty text from a mixed ASCII / non-ASCII alphabet (including emoji surrogate pairs).</summary>
    public static Gen<string> Text(int minLength = 1) =>
        Gen.Choose(minLength, 12).SelectMany(length =>
            Gen.Elements(TextAlphabet)
                .ArrayOf(length)
                .Select(parts => string.Concat(parts)));

    public static Gen<string> Token() =>
        Chars("abcdefghijklmnopqrstuvwxyz0123456789-._~", 1, 10);

    public static Gen<Uri> UriReference() =>
        Gen.Zip(Segment(), Segment()).SelectMany(p => Gen.Elements(
            $"/apis/v1/namespaces/{p.Item1}/rocketmqsources/{p.Item2}#orders",
            $"https://example.com/{p.Item1}?q={p.Item2}",
            $"urn:uuid:{p.Item1}-{p.Item2}",
            $"mailto:{p.Item1}@example.com",
            $"{p.Item1}/{p.Item2}",
            $"/{p.Item1}%20{p.Item2}")).Select(s => new Uri(s, s.StartsWith('/') || !s.Contains(':') ? UriKind.Relative : UriKind.Absolute));

    public static Gen<Uri> AbsoluteUri() =>
        Gen.Zip(Segment(), Segment()).SelectMany(p => Gen.Elements(
            $"https://schemas.example.com/{p.Item1}/{p.Item2}.json",
            $"urn:schema:{p.Item1}:{p.Item2}")).Select(s => new Uri(s, UriKind.Absolute));

    public static Gen<DateTimeOffset> Timestamp() =>
        from seconds in Gen.Choose(0, int.MaxValue)
        from fraction in Gen.Elements(0, 0, 1_000_000, 1_230_000, 9_999_999, 5)
        from quarterHours in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(
            new DateTime(1990, 1, 1).Ticks + (seconds * TimeSpan.TicksPerSecond) + fraction,
            TimeSpan.FromMinutes(quarterHours * 15));

    public static Gen<string> ExtensionName() =>
        Chars("abcdefghijklmnopqrstuvwxyz0123456789", 1, 24).Where(name => !CoreNames.Contains(name));

    private static Gen<string> Segment() =>
        Chars("abcdefghijklmnopqrstuvwxyz0123456789-._~", 1, 8);

    private static Gen<string> Chars(string alphabet, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Elements(alphabet.ToCharArray()).ArrayOf(n)).Select(chars => new string(chars));

    private static Gen<(CloudEventAttributeType Type, object Value)> ExtensionValue() =>
        Gen.OneOf(
            Text(minLength: 0).Select(v => (CloudEventAttributeType.String, (object)v)),
            ArbMap.Default.ArbFor<int>().Generator.Select(v => (CloudEventAttributeType.Integer, (object)v)),
            Gen.Elements(true, false).Select(v => (CloudEventAttributeType.Boolean, (object)v)),
            ArbMap.Default.ArbFor<byte[]>().Generator.Where(b => b is not null).Select(v => (CloudEventAttributeType.Binary, (object)v)),
            Timestamp().Select(v => (CloudEventAttributeType.Timestamp, (object)v)),
            AbsoluteUri().Select(v => (CloudEventAttributeType.Uri, (object)v)),
            UriReference().Select(v => (CloudEventAttributeType.UriReference, (object)v)));

    /// <summary>(datacontenttype, data) pairs whose data kind every binding preserves.</summary>
    private static Gen<(string? ContentType, object? Data)> DataWithContentType() =>
        Gen.OneOf(
            Gen.Constant<(string?, object?)>((null, null)),
            Gen.Elements("application/json", "text/plain", "application/octet-stream").Select(ct => ((string?)ct, (object?)null)),
            NonEmptyBytes().Select(b => ((string?)null, (object?)b)),
            Gen.Zip(Gen.Elements("application/octet-stream", "image/png", "application/vnd.apache.avro"), NonEmptyBytes())
                .Select(p => ((string?)p.Item1, (object?)p.Item2)),
            Gen.Zip(Gen.Elements("text/plain", "text/plain; charset=utf-8", "text/csv"), Text())
                .Select(p => ((string?)p.Item1, (object?)p.Item2)),
            Gen.Zip(Gen.Elements("application/json", "application/json; charset=utf-8", "application/vnd.order+json"), Json())
                .Select(p => ((string?)p.Item1, (object?)p.Item2)));

    private static Gen<byte[]> NonEmptyBytes() =>
        ArbMap.Default.ArbFor<byte[]>().Generator.Where(b => b is { Length: > 0 });

    private static Gen<JsonElement> Json() =>
        from text in Text()
        from number in ArbMap.Default.ArbFor<int>().Generator
        from flag in Gen.Elements(true, false)
        from json in Gen.Elements(
            $$"""{"orderId":{{JsonSerializer.Serialize(text)}},"amount":{{number}},"paid":{{(flag ? "true" : "false")}},"items":[1,2.5,null]}""",
            $$"""[{{JsonSerializer.Serialize(text)}},{{number}},{{(flag ? "true" : "false")}}]""",
            JsonSerializer.Serialize(text),
            number.ToString(System.Globalization.CultureInfo.InvariantCulture))
        select JsonDocument.Parse(json).RootElement.Clone();

    private static Gen<CloudEvent> Event() =>
        from id in Text()
        from source in UriReference()
        from type in Token()
        from subject in Gen.OneOf(Gen.Constant<string?>(null), Text().Select(s => (string?)s))
        from time in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Timestamp().Select(t => (DateTimeOffset?)t))
        from schema in Gen.OneOf(Gen.Constant<Uri?>(null), AbsoluteUri().Select(u => (Uri?)u))
        from data in DataWithContentType()
        from extensions in Gen.Zip(ExtensionName(), ExtensionValue()).ListOf().Select(list => list.Take(4))
        select Build(id, source, type, subject, time, schema, data, extensions);

    private static CloudEvent Build(
        string id, Uri source, string type, string? subject, DateTimeOffset? time, Uri? schema,
        (string? ContentType, object? Data) data, IEnumerable<(string Name, (CloudEventAttributeType Type, object Value) Value)> extensions)
    {
        var cloudEvent = new CloudEvent
        {
            Id = id,
            Source = source,
            Type = type,
            Subject = subject,
            Time = time,
            DataSchema = schema,
            DataContentType = data.ContentType,
            Data = data.Data,
        };
        foreach (var (name, (attributeType, value)) in extensions.DistinctBy(e => e.Name))
        {
            cloudEvent[CloudEventAttribute.CreateExtension(name, attributeType)] = value;
        }

        return cloudEvent;
    }

    public static string Describe(CloudEvent cloudEvent) =>
        Encoding.UTF8.GetString(new CloudNative.CloudEvents.SystemTextJson.JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _).Span);

    /// <summary>
    /// Whether binary mode carries the event's data as it is. The SDK refuses binary-mode data
    /// without a content type, reads "no data" back as empty data of the content type (bytes, "",
    /// or nothing for JSON), and parses JSON only for application/json itself (+json stays bytes).
    /// </summary>
    public static bool BinaryModeKeepsData(CloudEvent cloudEvent) => cloudEvent.Data switch
    {
        null => cloudEvent.DataContentType is null || cloudEvent.DataContentType.StartsWith("application/json", StringComparison.Ordinal),
        JsonElement => cloudEvent.DataContentType!.StartsWith("application/json", StringComparison.Ordinal),
        _ => cloudEvent.DataContentType is not null,
    };
}
