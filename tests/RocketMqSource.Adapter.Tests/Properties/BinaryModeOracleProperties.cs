using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Properties;

/// <summary>
/// The official SDK stays the oracle of what the adapter sends: for generated events (every
/// attribute kind, extensions of every CloudEvents type, non-ASCII and percent-encoding cases, with
/// and without datacontenttype, no / empty / binary / text / JSON data) and for the converter's own
/// events of generated messages, the request the dispatcher writes puts the same bytes on the wire
/// (request line, headers in order, body) as the SDK's <c>ToHttpContent(ContentMode.Binary)</c>,
/// and the official JS SDK reads both alike.
/// </summary>
public class BinaryModeOracleProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static readonly string[] CoreNames = ["specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time", "data"];

    /// <summary>Printable ASCII, the characters §3.1.3.2 encodes (space, '"', '%'), 2-, 3- and 4-byte UTF-8.</summary>
    private static readonly string[] Alphabet =
        ["a", "Z", "0", "-", "_", ".", "/", ":", "+", "~", "'", "\\", "{", " ", "\"", "%", "%20", "é", "ß", "€", "中", "😀", "\u00A0", "\u200B"];

    /// <summary>Property keys the mapping treats specially (tracing, content type) or that sanitise alike.</summary>
    private static readonly string[] PropertyKeys = ["traceparent", "TraceParent", "tracestate", "content-type", "Region", "region", "re-gion"];

    /// <summary>datacontenttype values as producers write them: parameters, quoting, upper case.</summary>
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "Application/JSON", "text/plain", "text/plain;charset=\"utf-8\"",
        "application/xml", "application/octet-stream", "image/png", "application/vnd.order+json; version=2",
    ];

    [Fact]
    public void The_dispatcher_puts_the_sdks_binary_mode_bytes_on_the_wire_for_generated_events()
    {
        using var capture = new RawHttpCapture();
        using var client = new HttpClient();
        var property = Prop.ForAll(Arb.From(Cases()), sent =>
        {
            var (ours, ourError) = Write(() => EventDispatcher.BinaryContent(sent.Ours));
            var (sdk, sdkError) = Write(() => SdkBinaryContent(sent.Sdk));
            Assert.True((ourError is null) == (sdkError is null), $"ours: {ourError?.Message ?? "written"}; SDK: {sdkError?.Message ?? "written"}");
            if (ours is null || sdk is null)
            {
                return;
            }

            var expected = OnTheWire(client, capture, sdk);
            var actual = OnTheWire(client, capture, ours);
            Assert.True(expected == actual, $"SDK:\n{expected}\n\nours:\n{actual}");
        });
        Check.One(Config, property);
    }

    [Fact]
    public async Task The_JS_SDK_reads_the_dispatchers_request_and_the_sdks_alike()
    {
        var events = Cases().Sample(120, 30).Where(e => Write(() => SdkBinaryContent(e.Sdk)).Error is null).ToList();
        var port = LoopbackPort.GetFree();
        var node = NodePeer.RunAsync("cloudevents-receiver.mjs", [port.ToString(CultureInfo.InvariantCulture), (events.Count * 2).ToString(CultureInfo.InvariantCulture)]);
        await NodeReceiver.UntilListeningAsync(port, node);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var accepted = 0;
        foreach (var (ours, cloudEvent) in events)
        {
            var (sdkStatus, sdkSaw) = await PostAsync(client, SdkBinaryContent(cloudEvent), cloudEvent);
            var (ourStatus, weSaw) = await PostAsync(client, EventDispatcher.BinaryContent(ours), cloudEvent);
            Assert.Equal(sdkStatus, ourStatus);
            Assert.Equal(sdkSaw, weSaw);
            accepted += ourStatus == 200 ? 1 : 0;
        }

        (await node).EnsureSuccess();
        // Equal answers could be equal refusals: most of the generated events must be read as events.
        Assert.True(accepted >= events.Count * 9 / 10, $"the JS SDK read {accepted} of {events.Count}");
    }

    /// <summary>What the dispatcher sent before it wrote headers itself: the SDK's binary mode, and for data without datacontenttype (which the SDK refuses) the SDK's headers of the event without its data, then the bytes.</summary>
    private static HttpContent SdkBinaryContent(CloudEvent cloudEvent)
    {
        if (cloudEvent.DataContentType is not null || cloudEvent.Data is not byte[] { Length: > 0 } data)
        {
            return cloudEvent.ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);
        }

        var headersOnly = new CloudEvent(cloudEvent.SpecVersion, cloudEvent.ExtensionAttributes);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            headersOnly[attribute] = value;
        }

        using var headers = headersOnly.ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);
        var content = new ByteArrayContent(data);
        foreach (var (name, values) in headers.Headers.NonValidated)
        {
            content.Headers.TryAddWithoutValidation(name, values);
        }

        return content;
    }

    private static (HttpContent? Content, Exception? Error) Write(Func<HttpContent> write)
    {
        try
        {
            return (write(), null);
        }
        catch (Exception e) when (e is EventEncodingException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return (null, e);
        }
    }

    /// <summary>The request's bytes as a server receives them (Latin-1, so a difference reads as text).</summary>
    private static string OnTheWire(HttpClient client, RawHttpCapture capture, HttpContent content)
    {
        using (content)
        using (var response = client.PostAsync(capture.Uri, content).GetAwaiter().GetResult())
        {
            Assert.Equal(202, (int)response.StatusCode);
        }

        return Encoding.Latin1.GetString(capture.Next());
    }

    /// <summary>The JS SDK's answer; an event without time gets the receiver's clock as its time, which is left out.</summary>
    private static async Task<(int Status, string Seen)> PostAsync(HttpClient client, HttpContent content, CloudEvent cloudEvent)
    {
        using (content)
        {
            using var response = await client.PostAsync("/", content);
            var seen = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (cloudEvent.Time is null && seen["attributes"] is JsonObject attributes)
            {
                attributes.Remove("time");
            }

            return ((int)response.StatusCode, seen.ToJsonString());
        }
    }

    /// <summary>
    /// What the dispatcher sends and the SDK event it must equal: a generated event is both; a
    /// message's is the converter's delivery form (a plain message's attributes and body, written
    /// without a CloudEvent) against the CloudEvent the converter builds for the same message.
    /// </summary>
    private static Gen<(ConvertedEvent Ours, CloudEvent Sdk)> Cases() =>
        Gen.OneOf(
            GeneratedEvents().Select(e => (ConvertedEvent.Of(e), e)),
            ConvertedMessages().Select(m => (m.Converter.ConvertForDelivery(m.View), m.Converter.Convert(m.View))));

    /// <summary>Plain messages with properties, tags, keys, odd text and declared content types; with and without K_CE_OVERRIDES.</summary>
    private static Gen<(CloudEventConverter Converter, MessageView View)> ConvertedMessages() =>
        from body in Gen.OneOf(ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null), Gen.Constant("""{"orderId":7}"""u8.ToArray()))
        from tag in Gen.OneOf(Gen.Constant<string?>(null), Text(1).Select(t => (string?)t))
        from keys in Text(1).ListOf().Select(k => k.Take(3).ToArray())
        from properties in Gen.Zip(Gen.OneOf(Text(0), Gen.Elements(PropertyKeys)), Text(0)).ListOf()
            .Select(p => p.Take(5).DistinctBy(kv => kv.Item1).ToDictionary(kv => kv.Item1, kv => kv.Item2))
        from messageGroup in Gen.Elements<string?>(null, "customer-7", "g é")
        from contentType in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(ContentTypes).Select(c => (string?)c))
        select (Messages.Converter(overrides: properties.Count % 2 == 0 ? null : new Dictionary<string, string> { ["team"] = "orders é" }),
            MessageViews.Create("01AB%", body, "orders", tag, keys,
                contentType is null ? properties : new Dictionary<string, string>(properties) { ["contentType"] = contentType }, messageGroup));

    private static Gen<CloudEvent> GeneratedEvents() =>
        from id in Text(1)
        from source in UriReference()
        from type in Text(1)
        from subject in Gen.OneOf(Gen.Constant<string?>(null), Text(1).Select(s => (string?)s))
        from time in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Timestamp().Select(t => (DateTimeOffset?)t))
        from schema in Gen.OneOf(Gen.Constant<Uri?>(null), AbsoluteUri().Select(u => (Uri?)u))
        from data in Data()
        from extensions in Gen.Zip(ExtensionName(), ExtensionValue()).ListOf().Select(list => list.Take(6).DistinctBy(e => e.Item1).ToList())
        select Build(id, source, type, subject, time, schema, data, extensions);

    private static CloudEvent Build(
        string id, Uri source, string type, string? subject, DateTimeOffset? time, Uri? schema,
        (string? ContentType, object? Data) data, List<(string Name, (CloudEventAttributeType Type, object Value) Value)> extensions)
    {
        var cloudEvent = new CloudEvent
        {
            Id = id, Source = source, Type = type, Subject = subject, Time = time, DataSchema = schema,
            DataContentType = data.ContentType, Data = data.Data,
        };
        foreach (var (name, (attributeType, value)) in extensions)
        {
            cloudEvent[CloudEventAttribute.CreateExtension(name, attributeType)] = value;
        }

        return cloudEvent;
    }

    /// <summary>(datacontenttype, data): none, empty, bytes, text and JSON, each with and without a content type.</summary>
    private static Gen<(string? ContentType, object? Data)> Data() =>
        from contentType in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(ContentTypes).Select(c => (string?)c))
        from data in Gen.OneOf(
            Gen.Constant<object?>(null),
            Gen.Constant<object?>(Array.Empty<byte>()),
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null).Select(b => (object?)b),
            Text(0).Select(t => (object?)t),
            Text(0).Select(t => (object?)JsonDocument.Parse(JsonSerializer.Serialize(new { note = t, n = t.Length })).RootElement.Clone()))
        select (contentType, data);

    private static Gen<(CloudEventAttributeType Type, object Value)> ExtensionValue() =>
        Gen.OneOf(
            Text(0).Select(v => (CloudEventAttributeType.String, (object)v)),
            ArbMap.Default.GeneratorFor<int>().Select(v => (CloudEventAttributeType.Integer, (object)v)),
            Gen.Elements(true, false).Select(v => (CloudEventAttributeType.Boolean, (object)v)),
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null).Select(v => (CloudEventAttributeType.Binary, (object)v)),
            Timestamp().Select(v => (CloudEventAttributeType.Timestamp, (object)v)),
            AbsoluteUri().Select(v => (CloudEventAttributeType.Uri, (object)v)),
            UriReference().Select(v => (CloudEventAttributeType.UriReference, (object)v)));

    private static Gen<string> Text(int min) =>
        Gen.Choose(min, 10).SelectMany(n => Gen.Elements(Alphabet).ArrayOf(n)).Select(parts => string.Concat(parts));

    private static Gen<string> ExtensionName() =>
        Gen.Choose(1, 20).SelectMany(n => Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray()).ArrayOf(n))
            .Select(chars => new string(chars)).Where(name => !CoreNames.Contains(name));

    private static Gen<Uri> UriReference() =>
        Gen.Elements(
            "/apis/v1/namespaces/shop/rocketmqsources/orders-source#orders", "https://shop.example.com/orders?q=a%20b", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "orders/eu-west", "https://example.com/caf%C3%A9", "mailto:ops@example.com")
            .Select(s => new Uri(s, s.Contains(':', StringComparison.Ordinal) ? UriKind.Absolute : UriKind.RelativeOrAbsolute));

    private static Gen<Uri> AbsoluteUri() =>
        Gen.Elements("https://schemas.example.com/order/v1.json", "urn:schema:order:2", "https://example.com/ä?x=\"y\"").Select(s => new Uri(s, UriKind.Absolute));

    private static Gen<DateTimeOffset> Timestamp() =>
        from seconds in Gen.Choose(0, int.MaxValue)
        from fraction in Gen.Elements(0L, 1_230_000L, 9_999_999L, 5L)
        from quarterHours in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(new DateTime(1990, 1, 1).Ticks + (seconds * TimeSpan.TicksPerSecond) + fraction, TimeSpan.FromMinutes(quarterHours * 15));
}
