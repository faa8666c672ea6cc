using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Properties;

/// <summary>
/// A message as a producer can send it to the RocketMQ 5 proxy (non-empty body up to 4 MiB; tag
/// without '|'; non-blank keys; at most 128 properties of at most 16 KiB; group under 64 bytes;
/// delivery delay), in one of the shapes users send: plain JSON, text, binary or invalid UTF-8, and
/// every CloudEvents binding shape, valid or not. <see cref="Shape"/> only names the generator's
/// intent for the report; what the adapter must do follows from the message alone.
/// </summary>
internal sealed record ProducedMessage(
    string Shape,
    byte[] Body,
    string? Tag,
    string[] Keys,
    KeyValuePair<string, string>[] Properties,
    string? Group,
    TimeSpan? Delay,
    string? TraceContext)
{
    public IReadOnlyDictionary<string, string> PropertyMap => Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public Published ToPublished(string id) => new(id, Body, PropertyMap)
    {
        Tag = Tag, Keys = Keys, Group = Group, Delay = Delay, TraceContext = TraceContext, BornTime = MessageViews.Born,
    };

    /// <summary>The same message for our C# producer (the emulator path).</summary>
    public Message ToMessage(string topic)
    {
        var builder = new Message.Builder().SetTopic(topic).SetBody(Body);
        if (Tag is not null)
        {
            builder.SetTag(Tag);
        }

        if (Keys.Length > 0)
        {
            builder.SetKeys(Keys);
        }

        if (Group is not null)
        {
            builder.SetMessageGroup(Group);
        }

        if (TraceContext is not null)
        {
            builder.SetTraceContext(TraceContext);
        }

        foreach (var (key, value) in Properties)
        {
            builder.AddProperty(key, value);
        }

        return builder.Build();
    }

    /// <summary>What shrinking prints: the whole message, the body as text when it is UTF-8 and short, else its length and first bytes.</summary>
    public override string ToString()
    {
        string body;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(Body);
            body = text.Length <= 300 ? JsonSerializer.Serialize(text) : $"{Body.Length} bytes of text: {JsonSerializer.Serialize(text[..120])}…";
        }
        catch (DecoderFallbackException)
        {
            body = $"{Body.Length} bytes, not UTF-8: {Convert.ToHexString(Body.AsSpan(0, Math.Min(Body.Length, 48)))}…";
        }

        var properties = string.Join(", ", Properties.Select(p => $"{JsonSerializer.Serialize(p.Key)}: {JsonSerializer.Serialize(p.Value.Length > 80 ? p.Value[..80] + $"…({p.Value.Length})" : p.Value)}"));
        return $"{Shape} body={body} tag={JsonSerializer.Serialize(Tag)} keys=[{string.Join(", ", Keys.Select(k => JsonSerializer.Serialize(k)))}] " +
            $"group={JsonSerializer.Serialize(Group)} delay={Delay} traceContext={JsonSerializer.Serialize(TraceContext)} properties={{{properties}}}";
    }
}

/// <summary>FsCheck generators and shrinker for <see cref="ProducedMessage"/>.</summary>
internal static class ProducedMessages
{
    public const int MaxBody = 4 * 1024 * 1024;
    private const int MaxProperties = 128;
    private const int MaxPropertyBytes = 16 * 1024;

    private static readonly string[] Pieces =
        ["a", "Z", "0", "-", "_", ".", " ", "é", "中", "😀", "%", "\"", "\\", "/", ":", "\n", "\t", "\u0000", "\u007F", "\u0085", "\uD800", "\uFFFE", "\uFDD0", "+", ",", ";", "="];

    private static readonly string[] ReservedNames =
        ["contentType", "content-type", "CONTENT_TYPE", "traceparent", "TraceParent", "tracestate", "TAGS", "KEYS", "UNIQ_KEY", "__STARTDELIVERTIME",
         "DELAY", "id", "source", "type", "specversion", "rocketmqtopic", "rocketmqprop", "Region", "region", "REGION", "re-gion"];

    private static readonly string[] MediaTypes =
        ["application/json", "application/json; charset=utf-8", "text/plain", "text/plain; charset=iso-8859-1", "application/xml", "application/octet-stream",
         "application/vnd.shop+json", "text", "a/b; x", "", "application/cloudevents+json"];

    public static Gen<string> Text(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Elements(Pieces).ArrayOf(n)).Select(parts => string.Concat(parts));

    private static Gen<string> Identifier => Gen.Elements("order-1", "evt-7", "a", "x.y-z_0", "é中😀", "with space", "100%");

    private static Gen<byte[]> Bytes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n));

    /// <summary>Mostly small bodies; sometimes 64–256 KiB; rarely up to the proxy's 4 MiB.</summary>
    private static Gen<int> BodySize => Gen.Frequency(
        (90, Gen.Choose(1, 300)),
        (8, Gen.Choose(64 * 1024, 256 * 1024)),
        (2, Gen.Choose(256 * 1024, MaxBody)));

    private static Gen<byte[]> JsonBody =>
        from size in Gen.Choose(0, 6)
        from text in Text(0, 8)
        from number in Gen.Choose(-1000, 100000)
        select Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["order"] = number, ["note"] = ToValidUtf16(text), ["items"] = Enumerable.Range(0, size).ToArray() }));

    private static Gen<byte[]> BinaryBody => BodySize.SelectMany(n => n > 300
        ? Gen.Choose(0, 255).Select(seed => Enumerable.Range(0, n).Select(i => (byte)((i * 31) + seed)).ToArray())
        : Bytes(n, n));

    /// <summary>UTF-8 with a broken sequence in it.</summary>
    private static Gen<byte[]> InvalidUtf8 => JsonBody.Select(json => (byte[])[.. json.Take(json.Length / 2), 0xC3, 0x28, .. json.Skip(json.Length / 2)]);

    private static Gen<KeyValuePair<string, string>> Property =>
        from key in Gen.Frequency((3, Text(1, 6)), (2, Gen.Elements(ReservedNames)))
        from value in Gen.Frequency((8, Text(0, 10)), (1, Text(600, 700)), (1, Gen.Constant(new string('v', 2048))))
        where !string.IsNullOrWhiteSpace(key)
        select new KeyValuePair<string, string>(key, value);

    private static Gen<KeyValuePair<string, string>[]> UserProperties =>
        Gen.Choose(0, 6).SelectMany(n => Property.ArrayOf(n)).Select(Fit);

    private static Gen<string?> Tag => Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (3, Gen.Elements<string?>("created", "paid", "中文", "tag with space")),
        (1, Text(1, 5).Where(t => !string.IsNullOrWhiteSpace(t) && !t.Contains('|', StringComparison.Ordinal)).Select(t => (string?)t)));

    private static Gen<string[]> KeysGen => Gen.Frequency(
        (3, Gen.Constant(Array.Empty<string>())),
        (2, Gen.Elements("order-1", "customer 9", "键").ArrayOf().Select(k => k.Distinct().ToArray())));

    private static Gen<string?> Group => Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("customer-7", "g", "组")));

    private static Gen<TimeSpan?> Delay => Gen.Frequency((9, Gen.Constant<TimeSpan?>(null)), (1, Gen.Choose(1, 30).Select(s => (TimeSpan?)TimeSpan.FromSeconds(s))));

    private static Gen<string?> Trace => Gen.Frequency(
        (6, Gen.Constant<string?>(null)),
        (1, Gen.Constant<string?>("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
        (1, Gen.Constant<string?>("not a traceparent")));

    private static Gen<KeyValuePair<string, string>[]> TraceProperties => Gen.Frequency(
        (6, Gen.Constant(Array.Empty<KeyValuePair<string, string>>())),
        (1, Gen.Constant<KeyValuePair<string, string>[]>([new("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), new("tracestate", "vendor=a1")])),
        (1, Gen.Constant<KeyValuePair<string, string>[]>([new("traceparent", "00-zz")])));

    public static Gen<ProducedMessage> Any => Gen.Frequency(
        (20, Plain),
        (25, BinaryCloudEvent),
        (15, StructuredCloudEvent),
        (10, BrokenCloudEvent));

    private static Gen<ProducedMessage> Plain =>
        from kind in Gen.Elements("json", "text", "binary", "invalid-utf8")
        from body in kind switch
        {
            "json" => JsonBody,
            "text" => Text(1, 40).Select(t => Encoding.UTF8.GetBytes(ToValidUtf16(t))).Where(b => b.Length > 0),
            "binary" => BinaryBody,
            _ => InvalidUtf8,
        }
        from contentType in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Gen.Elements(MediaTypes).Select(m => (string?)m)))
        from contentTypeKey in Gen.Elements("contentType", "content-type", "CONTENT_TYPE")
        from properties in UserProperties
        from tracing in TraceProperties
        from rest in Envelope
        select Finish(new ProducedMessage($"plain-{kind}", body, rest.Tag, rest.Keys,
            [.. properties, .. tracing, .. contentType is null ? [] : new[] { new KeyValuePair<string, string>(contentTypeKey, contentType) }],
            rest.Group, rest.Delay, rest.Trace));

    private static Gen<(string? Tag, string[] Keys, string? Group, TimeSpan? Delay, string? Trace)> Envelope =>
        from tag in Tag
        from keys in KeysGen
        from messageGroup in Group
        from delay in Delay
        from trace in Trace
        select (tag, keys, messageGroup, delay, trace);

    private static Gen<KeyValuePair<string, string>[]> CoreAttributes =>
        from id in Identifier
        from source in Gen.Elements("https://shop.example.com/orders", "/orders", "urn:shop:orders", "orders")
        from type in Gen.Elements("com.example.order.created", "t", "类型")
        from subject in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, Identifier.Select(s => (string?)s)))
        from time in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("2026-11-21T12:30:15.123Z", "2026-11-21T12:30:15+02:00")))
        from extension in Gen.Frequency((1, Gen.Constant<(string, string)?>(null)), (2, Gen.Elements<(string, string)?>(("partitionkey", "customer-7"), ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("ext1", "é中😀 100%"))))
        select (KeyValuePair<string, string>[])[
            new("CE_specversion", "1.0"), new("CE_id", id), new("CE_source", source), new("CE_type", type),
            .. subject is null ? [] : new[] { new KeyValuePair<string, string>("CE_subject", subject) },
            .. time is null ? [] : new[] { new KeyValuePair<string, string>("CE_time", time) },
            .. extension is { } e ? new[] { new KeyValuePair<string, string>("CE_" + e.Item1, e.Item2) } : []];

    /// <summary>Binary mode with every spelling of the content type, or none (issue 21).</summary>
    private static Gen<ProducedMessage> BinaryCloudEvent =>
        from attributes in CoreAttributes
        from contentTypes in Gen.Elements<(string Name, KeyValuePair<string, string>[] Properties)>(
            ("no-contenttype", []),
            ("CE_contenttype", [new("CE_contenttype", "application/json")]),
            ("CE_contentType", [new("CE_contentType", "application/json")]),
            ("CE_datacontenttype", [new("CE_datacontenttype", "application/json")]),
            ("both", [new("CE_contenttype", "application/json"), new("CE_datacontenttype", "text/plain")]),
            ("octet-stream", [new("CE_contenttype", "application/octet-stream")]),
            ("nested-cloudevent", [new("CE_datacontenttype", "application/cloudevents+json")]))
        from body in Gen.Frequency((2, JsonBody), (1, BinaryBody), (1, InvalidUtf8))
        from others in UserProperties
        from rest in Envelope
        select Finish(new ProducedMessage($"ce-binary-{contentTypes.Name}", body, rest.Tag, rest.Keys, [.. attributes, .. contentTypes.Properties, .. others], rest.Group, rest.Delay, rest.Trace));

    private static Gen<ProducedMessage> StructuredCloudEvent =>
        from id in Identifier
        from data in Gen.Elements<(string Name, string Json)>(
            ("json-data", """ "datacontenttype":"application/json","data":{"orderId":7,"note":"é中😀"} """),
            ("json-data-no-contenttype", """ "data":[1,2,{"a":null}] """),
            ("data_base64", """ "datacontenttype":"application/octet-stream","data_base64":"/wDDKA==" """),
            ("data_base64-no-contenttype", """ "data_base64":"AAEC" """),
            ("xml-string-data", """ "datacontenttype":"application/xml","data":"<order id=\"7\"/>" """),
            ("text-data", """ "datacontenttype":"text/plain; charset=utf-8","data":"hello é" """),
            ("no-data", """ "subject":"nothing" """),
            ("unknown-charset", """ "datacontenttype":"application/json; charset=x-none","data":{"a":1} """))
        from extension in Gen.Elements("", """ ,"partitionkey":"customer-7" """, """ ,"ext1":5 """, """ ,"flag":true """)
        from contentType in Gen.Elements("application/cloudevents+json", "application/cloudevents+json; charset=utf-8", "APPLICATION/CLOUDEVENTS+JSON")
        from key in Gen.Elements("CE_contenttype", "CE_contentType")
        from others in UserProperties
        from rest in Envelope
        select Finish(new ProducedMessage($"ce-structured-{data.Name}",
            Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","id":{{JsonSerializer.Serialize(id)}},"source":"/orders","type":"com.example.order.created",{{data.Json}}{{extension}}}"""),
            rest.Tag, rest.Keys, [new(key, contentType), .. others], rest.Group, rest.Delay, rest.Trace));

    /// <summary>Messages that claim to be CloudEvents but are not valid ones.</summary>
    private static Gen<ProducedMessage> BrokenCloudEvent =>
        from attributes in CoreAttributes
        from breakage in Gen.Elements<(string Name, Func<KeyValuePair<string, string>[], KeyValuePair<string, string>[]> Apply, string? Body)>(
            ("wrong-specversion", a => [.. a.Where(p => p.Key != "CE_specversion"), new("CE_specversion", "2.0")], null),
            ("missing-id", a => [.. a.Where(p => p.Key != "CE_id")], null),
            ("missing-type", a => [.. a.Where(p => p.Key != "CE_type")], null),
            ("empty-source", a => [.. a.Where(p => p.Key != "CE_source"), new("CE_source", "")], null),
            ("invalid-extension-name", a => [.. a, new("CE_Bad-Name", "x")], null),
            ("bad-time", a => [.. a.Where(p => p.Key != "CE_time"), new("CE_time", "yesterday")], null),
            ("bad-datacontenttype", a => [.. a, new("CE_datacontenttype", "text")], null),
            ("batch", _ => [new("CE_contenttype", "application/cloudevents-batch+json")], """[{"specversion":"1.0","id":"1","source":"/s","type":"t"}]"""),
            ("structured-non-string-id", _ => [new("CE_contenttype", "application/cloudevents+json")], """{"specversion":"1.0","id":5,"source":"/s","type":"t"}"""),
            ("structured-object-extension", _ => [new("CE_contenttype", "application/cloudevents+json")], """{"specversion":"1.0","id":"1","source":"/s","type":"t","ext":{"a":1}}"""),
            ("structured-not-json", _ => [new("CE_contenttype", "application/cloudevents+json")], "{ not json"),
            ("structured-missing-source", _ => [new("CE_contenttype", "application/cloudevents+json")], """{"specversion":"1.0","id":"1","type":"t","data":1}"""))
        from body in JsonBody
        from rest in Envelope
        select Finish(new ProducedMessage($"ce-invalid-{breakage.Name}", breakage.Body is { } b ? Encoding.UTF8.GetBytes(b) : body,
            rest.Tag, rest.Keys, breakage.Apply(attributes), rest.Group, rest.Delay, rest.Trace));

    /// <summary>
    /// A sample of the mix for runs through the emulator and the adapter process: each CloudEvent id
    /// gets the message's index (so what a sink got tells which message it was), on a normal topic
    /// (no message group, no delay: the proxy refuses them there), bodies up to <paramref name="maxBody"/>.
    /// </summary>
    public static List<ProducedMessage> Mix(int count, int maxBody = 256 * 1024) =>
        [.. Any.Where(m => m.Body.Length <= maxBody).Sample(count, 30).Select((m, i) => Unique(m with { Group = null, Delay = null }, i))];

    /// <summary>The message as rocketmq-produce-mix.mjs reads it.</summary>
    public static object ToNodeMessage(ProducedMessage message, string topic) => new
    {
        topic,
        tag = message.Tag,
        keys = message.Keys,
        properties = message.Properties.Select(p => new[] { p.Key, p.Value }).ToArray(),
        body = Convert.ToBase64String(message.Body),
    };

    private static ProducedMessage Unique(ProducedMessage message, int index)
    {
        var suffix = $"-{index}";
        var properties = message.Properties.Select(p => p.Key == "CE_id" ? new KeyValuePair<string, string>(p.Key, p.Value + suffix) : p).ToArray();
        var body = message.Body;
        if (message.Shape.StartsWith("ce-structured", StringComparison.Ordinal)
            && System.Text.Json.Nodes.JsonNode.Parse(body) is System.Text.Json.Nodes.JsonObject structured && structured["id"] is System.Text.Json.Nodes.JsonValue id
            && id.TryGetValue<string>(out var text))
        {
            structured["id"] = text + suffix;
            body = Encoding.UTF8.GetBytes(structured.ToJsonString());
        }

        return message with { Properties = properties, Body = body };
    }

    /// <summary>Smaller messages first: fewer properties, shorter bodies, no envelope fields; the shape stays.</summary>
    public static IEnumerable<ProducedMessage> Shrink(ProducedMessage message)
    {
        if (message.Delay is not null)
        {
            yield return message with { Delay = null };
        }

        if (message.Tag is not null || message.Keys.Length > 0 || message.Group is not null || message.TraceContext is not null)
        {
            yield return message with { Tag = null, Keys = [], Group = null, TraceContext = null };
        }

        for (var i = 0; i < message.Properties.Length; i++)
        {
            yield return message with { Properties = [.. message.Properties.Take(i), .. message.Properties.Skip(i + 1)] };
        }

        for (var i = 0; i < message.Properties.Length; i++)
        {
            if (message.Properties[i].Value.Length > 1)
            {
                var shorter = message.Properties[i].Value[..(message.Properties[i].Value.Length / 2)];
                yield return message with { Properties = [.. message.Properties.Take(i), new(message.Properties[i].Key, shorter), .. message.Properties.Skip(i + 1)] };
            }
        }

        if (message.Body.Length > 1 && message.Shape.StartsWith("plain-binary", StringComparison.Ordinal))
        {
            yield return message with { Body = message.Body[..(message.Body.Length / 2)] };
        }
    }

    /// <summary>
    /// Keeps a message within what the proxy accepts (128 properties, 16 KiB, unique keys) and what
    /// the wire can carry: protobuf strings are UTF-8, so no unpaired surrogate reaches RocketMQ.
    /// </summary>
    private static ProducedMessage Finish(ProducedMessage message) => message with
    {
        Properties = Fit([.. message.Properties.Select(p => new KeyValuePair<string, string>(ToValidUtf16(p.Key), ToValidUtf16(p.Value)))]),
        Tag = message.Tag is null ? null : ToValidUtf16(message.Tag),
        Keys = [.. message.Keys.Select(ToValidUtf16)],
    };

    private static KeyValuePair<string, string>[] Fit(KeyValuePair<string, string>[] properties)
    {
        var kept = new List<KeyValuePair<string, string>>();
        var bytes = 0;
        foreach (var property in properties.Where(p => !string.IsNullOrWhiteSpace(p.Key)).DistinctBy(p => p.Key))
        {
            var size = Encoding.UTF8.GetByteCount(property.Key) + Encoding.UTF8.GetByteCount(property.Value);
            if (kept.Count < MaxProperties && bytes + size <= MaxPropertyBytes)
            {
                kept.Add(property);
                bytes += size;
            }
        }

        return [.. kept];
    }

    /// <summary>Text a JSON serializer can write (unpaired surrogates become U+FFFD).</summary>
    private static string ToValidUtf16(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}
