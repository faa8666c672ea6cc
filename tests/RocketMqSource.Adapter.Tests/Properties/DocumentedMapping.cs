using System.Diagnostics;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;

namespace RocketMqSource.Adapter.Tests.Properties;

/// <summary>What the sink must receive for a message, or why it cannot be sent at all.</summary>
/// <param name="Event">The event as docs/adapter.md's mapping (or pass-through rule) says, its data as the body must carry it; null when the message cannot be sent.</param>
/// <param name="Failure">Unconvertible or Unencodable when the message cannot be sent (the dead-letter sink gets its plain mapping).</param>
/// <param name="TraceParent">The W3C traceparent header the sink must get, or null for none.</param>
internal sealed record Expectation(CloudEvent? Event, EndReason? Failure, string? TraceParent);

/// <summary>
/// docs/adapter.md's "CloudEvent for a plain message" and pass-through rules, written again from that page
/// for the test, with the official C# SDK deciding what a valid event is (attribute parsing and
/// validation, the JSON event format). Independent of the adapter's converter: where the two
/// disagree, one of them is wrong.
/// </summary>
internal static class DocumentedMapping
{
    public const string Source = "/apis/v1/namespaces/shop/rocketmqsources/orders-source#orders";

    private static readonly JsonEventFormatter Json = new();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <param name="born">The message's born time (the in-memory source's fixed one by default).</param>
    public static Expectation For(ProducedMessage message, string messageId, DateTimeOffset? born = null)
    {
        var properties = message.PropertyMap;
        var traceParent = TraceParent(properties, message.TraceContext);
        var contentType = CeContentType(properties);
        if (!properties.ContainsKey("CE_specversion") && !(contentType ?? string.Empty).StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase))
        {
            return new Expectation(Plain(message, messageId, born), null, traceParent);
        }

        CloudEvent forwarded;
        try
        {
            forwarded = contentType is { } structured && structured.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase)
                ? FromStructured(structured, message.Body)
                : FromBinary(properties, contentType, message.Body);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return new Expectation(null, EndReason.Unconvertible, traceParent);
        }

        return Encodable(forwarded) ? new Expectation(forwarded, null, traceParent) : new Expectation(null, EndReason.Unencodable, traceParent);
    }

    /// <summary>The plain mapping (what the dead-letter sink gets for a message that cannot be sent).</summary>
    public static CloudEvent Plain(ProducedMessage message, string messageId, DateTimeOffset? born = null)
    {
        var properties = message.PropertyMap;
        var cloudEvent = new CloudEvent
        {
            Id = Sanitize(messageId),
            Source = new Uri(Source, UriKind.Relative),
            Type = "dev.knative.rocketmq.event",
            Time = born ?? MessageViews.Born,
            DataContentType = DeclaredContentType(properties) ?? (IsOneJsonValue(message.Body) ? "application/json" : "application/octet-stream"),
            Data = message.Body,
            ["rocketmqtopic"] = "orders",
        };
        if (!string.IsNullOrEmpty(message.Tag))
        {
            cloudEvent.Subject = Sanitize(message.Tag);
            cloudEvent["rocketmqtag"] = Sanitize(message.Tag);
        }

        if (message.Keys.Length > 0)
        {
            cloudEvent["rocketmqkeys"] = Sanitize(string.Join(' ', message.Keys));
        }

        if (!string.IsNullOrEmpty(message.Group))
        {
            cloudEvent["rocketmqgroup"] = Sanitize(message.Group);
        }

        var rest = properties.Keys.ToList();
        foreach (var tracing in new[] { "traceparent", "tracestate" })
        {
            var key = properties.ContainsKey(tracing) ? tracing : properties.Keys.Where(k => k.Equals(tracing, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (key is not null)
            {
                rest.Remove(key);
                if (properties[key].Length > 0)
                {
                    cloudEvent[tracing] = Sanitize(properties[key]);
                }
            }
        }

        // rocketmqprop + key lower-cased, a-z0-9 only; on a clash the ordinally first key keeps the name, the others get 2, 3, …
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var clashing = new List<string>();
        foreach (var key in rest.Order(StringComparer.Ordinal))
        {
            var name = "rocketmqprop" + Stem(key);
            if (taken.Add(name))
            {
                cloudEvent[name] = Sanitize(properties[key]);
            }
            else
            {
                clashing.Add(key);
            }
        }

        foreach (var key in clashing)
        {
            var suffix = 2;
            while (!taken.Add($"rocketmqprop{Stem(key)}{suffix}"))
            {
                suffix++;
            }

            cloudEvent[$"rocketmqprop{Stem(key)}{suffix}"] = Sanitize(properties[key]);
        }

        return cloudEvent;
    }

    /// <summary>
    /// Issue 21's invariant after the run: each message's event reached the sink as docs/adapter.md maps it,
    /// or, when docs/adapter.md says it cannot be sent, its plain mapping reached the dead-letter sink with
    /// knativeerrordata; nothing else arrived.
    /// </summary>
    public static string AssertEveryMessageEnded(List<ProducedMessage> messages, string[] ids, IReadOnlyList<SinkRequest> sent, IReadOnlyList<SinkRequest> deadLettered)
    {
        // By the event id as the SDK reads it (the ce-id header is percent-encoded).
        var atSink = sent.GroupBy(r => DocumentedMapping.Read(r).Id!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var atDeadLetterSink = deadLettered.GroupBy(r => DocumentedMapping.Read(r).Id!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var expectation = DocumentedMapping.For(messages[i], ids[i]);
            if (expectation.Event is { } cloudEvent)
            {
                // At the sink, or, when the sink did not take it (an outage), the same event at the dead-letter sink.
                var requests = atSink.GetValueOrDefault(cloudEvent.Id!, []);
                var copies = atDeadLetterSink.GetValueOrDefault(cloudEvent.Id!, []);
                if (requests.Count + copies.Count == 0)
                {
                    throw new Xunit.Sdk.XunitException($"message {ids[i]} reached neither sink: {messages[i]}");
                }

                foreach (var (request, deadLetter) in requests.Select(r => (r, false)).Concat(copies.Select(c => (c, true))))
                {
                    // A plain event's time is the born time the emulator gave it.
                    var expected = For(messages[i], ids[i], Read(request).Time).Event!;
                    AssertSame(expected, request, $"message {ids[i]} ({messages[i].Shape})", deadLetter);
                }

                expectedKeys.Add(cloudEvent.Id!);
            }
            else
            {
                var copies = atDeadLetterSink.GetValueOrDefault(ids[i]) ?? throw new Xunit.Sdk.XunitException($"message {ids[i]} ({expectation.Failure}) never reached the dead-letter sink: {messages[i]}");
                Assert.All(copies, copy => Assert.NotEmpty(copy.Header("ce-knativeerrordata")));
                Assert.All(copies, copy => Assert.Equal(messages[i].Body, copy.Body));
                expectedKeys.Add(ids[i]);
            }
        }

        Assert.DoesNotContain(atSink.Keys.Concat(atDeadLetterSink.Keys), k => !expectedKeys.Contains(k));
        var duplicates = sent.Count + deadLettered.Count - atSink.Count - atDeadLetterSink.Count;
        return $"{messages.Count} messages ({string.Join(", ", messages.GroupBy(m => m.Shape.Split('-')[0] + "-" + m.Shape.Split('-')[1]).Select(g => $"{g.Key} {g.Count()}"))}): " +
            $"{atSink.Count} events at the sink, {atDeadLetterSink.Count} dead-lettered, {duplicates} duplicates";
    }

    /// <summary>The event a sink request carries, read with the SDK's HTTP binding (data kept as the body's bytes).</summary>
    public static CloudEvent Read(SinkRequest request)
    {
        using var http = new HttpRequestMessage(HttpMethod.Post, "http://sink/") { Content = new ByteArrayContent(request.Body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name == "content-type")
            {
                http.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (name.StartsWith("ce-", StringComparison.Ordinal))
            {
                http.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return http.ToCloudEventAsync(RawData.Instance).GetAwaiter().GetResult();
    }

    /// <summary>Attribute by attribute (canonical strings), then the data: byte for byte, or equal JSON for data the JSON format carried as JSON.</summary>
    /// <param name="deadLetter">A dead-letter copy: the knativeerror* extensions are the only attributes it may add.</param>
    public static void AssertSame(CloudEvent expected, SinkRequest request, string what, bool deadLetter = false)
    {
        var received = Read(request);
        var want = Attributes(expected);
        var got = Attributes(received);
        if (deadLetter)
        {
            foreach (var name in got.Keys.Where(k => k.StartsWith("knativeerror", StringComparison.Ordinal)).ToList())
            {
                got.Remove(name);
            }
        }

        if (!want.OrderBy(a => a.Key).SequenceEqual(got.OrderBy(a => a.Key)))
        {
            throw new Xunit.Sdk.XunitException($"{what}: attributes differ\n expected {Show(want)}\n received {Show(got)}");
        }

        // A structured request (an event whose data is itself a CloudEvent) carries the data inside the body.
        var structured = request.Header("content-type").StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase);
        var body = structured ? received.Data as byte[] ?? [] : request.Body;
        var equal = expected.Data switch
        {
            null => body.Length == 0,
            byte[] bytes => bytes.AsSpan().SequenceEqual(body),
            JsonElement element => JsonElement.DeepEquals(element, JsonDocument.Parse(body).RootElement),
            string text => MimeUtilities.GetEncoding(new ContentType(expected.DataContentType!)).GetBytes(text).AsSpan().SequenceEqual(body),
            _ => false,
        };
        if (!equal)
        {
            throw new Xunit.Sdk.XunitException($"{what}: data differ: expected {expected.Data} ({expected.Data?.GetType().Name}), received {body.Length} bytes {Convert.ToHexString(body.AsSpan(0, Math.Min(64, body.Length)))}");
        }
    }

    private static Dictionary<string, string> Attributes(CloudEvent cloudEvent) =>
        cloudEvent.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value), StringComparer.Ordinal);

    private static string Show(Dictionary<string, string> attributes) =>
        string.Join(", ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={JsonSerializer.Serialize(a.Value)}"));

    /// <summary>docs/adapter.md: CE_contenttype (any case: the binding document spells it CE_contentType; with several, the ordinally first).</summary>
    private static string? CeContentType(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue("CE_contenttype", out var exact) ? exact
        : properties.Keys.Where(k => k.Equals("CE_contenttype", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).Select(k => properties[k]).FirstOrDefault();

    private static CloudEvent FromStructured(string contentType, byte[] body)
    {
        if (contentType.StartsWith("application/cloudevents-batch", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("a RocketMQ message carries one event");
        }

        return Json.DecodeStructuredModeMessage(body, new ContentType(contentType), null);
    }

    /// <summary>docs/adapter.md: each CE_ property is an attribute; datacontenttype is CE_contenttype, else CE_datacontenttype, else absent; the body is the data.</summary>
    private static CloudEvent FromBinary(IReadOnlyDictionary<string, string> properties, string? contentType, byte[] body)
    {
        var version = CloudEventsSpecVersion.FromVersionId(properties.GetValueOrDefault("CE_specversion")) ?? throw new ArgumentException("unknown specversion");
        var cloudEvent = new CloudEvent(version);
        foreach (var (key, value) in properties)
        {
            if (key.StartsWith("CE_", StringComparison.Ordinal) && key != "CE_specversion" && key != "CE_datacontenttype" && !key.Equals("CE_contenttype", StringComparison.OrdinalIgnoreCase))
            {
                cloudEvent.SetAttributeFromString(key[3..], value);
            }
        }

        if ((contentType ?? properties.GetValueOrDefault("CE_datacontenttype")) is { } dataContentType)
        {
            cloudEvent.DataContentType = dataContentType;
        }

        cloudEvent.Data = body.Length == 0 ? null : body;
        return Validation.CheckCloudEventArgument(cloudEvent, "message");
    }

    /// <summary>Whether the data can be the HTTP body: JSON data needs a charset .NET knows.</summary>
    private static bool Encodable(CloudEvent cloudEvent)
    {
        if (cloudEvent.Data is null || cloudEvent.Data is byte[])
        {
            return true;
        }

        try
        {
            MimeUtilities.GetEncoding(new ContentType(cloudEvent.DataContentType!));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? DeclaredContentType(IReadOnlyDictionary<string, string> properties)
    {
        var key = properties.Keys.Where(k => Stem(k) == "contenttype" && !k.StartsWith("CE_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (key is null)
        {
            return null;
        }

        var value = properties[key].Trim();
        try
        {
            // docs/adapter.md: a valid media type, other than a CloudEvents format.
            CloudEventsSpecVersion.Default.DataContentTypeAttribute.Validate(value);
            return value.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) ? null : value;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsOneJsonValue(byte[] body)
    {
        try
        {
            StrictUtf8.GetString(body);
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 512 });
            return true;
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or ArgumentException)
        {
            return false;
        }
    }

    private static string Stem(string key) => new([.. key.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>docs/adapter.md: text that is no valid CloudEvents String (controls, unpaired surrogates, noncharacters) carries U+FFFD in their place.</summary>
    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                builder.Append((codePoint & 0xFFFE) == 0xFFFE ? "\uFFFD" : value.Substring(i, 2));
                i++;
                continue;
            }

            var invalid = c <= '\u001F' || (c >= '\u007F' && c <= '\u009F') || (c >= '\uFDD0' && c <= '\uFDEF') || c >= '\uFFFE' || char.IsSurrogate(c);
            builder.Append(invalid ? '\uFFFD' : c);
        }

        return builder.ToString();
    }

    /// <summary>docs/operations.md (Observability, traces): the producer's context from the traceparent property, else RocketMQ's trace_context.</summary>
    private static string? TraceParent(IReadOnlyDictionary<string, string> properties, string? systemTraceContext)
    {
        foreach (var candidate in new[] { properties.GetValueOrDefault("traceparent"), systemTraceContext })
        {
            if (candidate is not null && ActivityContext.TryParse(candidate, null, isRemote: true, out var context))
            {
                return $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(int)context.TraceFlags:x2}";
            }
        }

        return null;
    }

    /// <summary>The SDK's JSON formatter, keeping binary-mode data as the body's bytes (the SDK's own would parse a body without Content-Type as JSON).</summary>
    private sealed class RawData : JsonEventFormatter
    {
        public static readonly RawData Instance = new();

        public override void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent) =>
            cloudEvent.Data = body.IsEmpty ? null : body.ToArray();
    }
}
