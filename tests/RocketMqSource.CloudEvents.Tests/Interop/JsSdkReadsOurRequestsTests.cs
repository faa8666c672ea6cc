using System.Globalization;
using System.Text.Json;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using FsCheck.Fluent;
using RocketMqSource.CloudEvents.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>
/// The C# SDK's HTTP writer (what the adapter sends with) posts to a Node server that parses with the
/// official JS SDK (HTTP.toEvent) and validates strictly; the JS view must match the event attribute by attribute.
/// </summary>
public class JsSdkReadsOurRequestsTests
{
    private static readonly JsonEventFormatter Formatter = new();

    [Fact]
    public async Task The_JS_SDK_parses_every_binary_structured_and_batch_request_we_write()
    {
        var events = InteropEvents.All();
        var port = LoopbackPort.GetFree();
        var requests = (events.Count * 2) + 1;
        var node = NodePeer.RunAsync("cloudevents-receiver.mjs", [port.ToString(CultureInfo.InvariantCulture), requests.ToString(CultureInfo.InvariantCulture)]);
        await LoopbackWait.UntilListeningAsync(port, node, TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        foreach (var mode in new[] { ContentMode.Binary, ContentMode.Structured })
        {
            foreach (var cloudEvent in events)
            {
                using var content = cloudEvent.ToHttpContent(mode, Formatter);
                var seen = await PostAsync(client, content);
                AssertSdkSaw(cloudEvent, seen, mode, $"{mode} {cloudEvent.Id}");
            }
        }

        using (var batchContent = events.ToHttpContent(Formatter))
        {
            var seen = await PostAsync(client, batchContent);
            Assert.Equal(events.Count, seen.GetArrayLength());
            for (var i = 0; i < events.Count; i++)
            {
                AssertSdkSaw(events[i], seen[i], ContentMode.Structured, $"batch {events[i].Id}");
            }
        }

        (await node).EnsureSuccess();
    }

    [Fact]
    public async Task The_JS_SDK_parses_randomly_generated_events_in_both_modes()
    {
        // The SDK keeps only milliseconds of the core time attribute, and reads a bare JSON number
        // in a binary-mode body as text: generated events avoid both.
        var events = EventGenerators.Events.Generator.Sample(40)
            .Where(e => e.Data is not JsonElement { ValueKind: JsonValueKind.Number } && EventGenerators.BinaryModeKeepsData(e))
            .Select(TruncateTimeToMilliseconds)
            .ToList();
        var port = LoopbackPort.GetFree();
        var requests = (events.Count * 2) + 1;
        var node = NodePeer.RunAsync("cloudevents-receiver.mjs", [port.ToString(CultureInfo.InvariantCulture), requests.ToString(CultureInfo.InvariantCulture)]);
        await LoopbackWait.UntilListeningAsync(port, node, TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        foreach (var cloudEvent in events)
        {
            foreach (var mode in new[] { ContentMode.Binary, ContentMode.Structured })
            {
                using var content = cloudEvent.ToHttpContent(mode, Formatter);
                AssertSdkSaw(cloudEvent, await PostAsync(client, content), mode, $"{mode} {EventGenerators.Describe(cloudEvent)}");
            }
        }

        using (var batchContent = events.ToHttpContent(Formatter))
        {
            var seen = await PostAsync(client, batchContent);
            Assert.Equal(events.Count, seen.GetArrayLength());
            for (var i = 0; i < events.Count; i++)
            {
                AssertSdkSaw(events[i], seen[i], ContentMode.Structured, $"batch {EventGenerators.Describe(events[i])}");
            }
        }

        (await node).EnsureSuccess();
    }

    private static CloudEvent TruncateTimeToMilliseconds(CloudEvent cloudEvent)
    {
        if (cloudEvent.Time is { } time)
        {
            cloudEvent.Time = time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));
        }

        return cloudEvent;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, HttpContent content)
    {
        using var response = await client.PostAsync("/", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the JS SDK refused the request: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Compares what the SDK saw with our event. Binary mode: every value is a string; the JS SDK does
    /// not percent-decode header values, so the test decodes them (System.Uri) as a spec receiver
    /// must. Structured mode: Integer and Boolean are JSON numbers and booleans, the rest strings.
    /// The SDK normalises the core time attribute to milliseconds in UTC, so time compares as an instant.
    /// </summary>
    internal static void AssertSdkSaw(CloudEvent expected, JsonElement seen, ContentMode mode, string label)
    {
        var attributes = seen.GetProperty("attributes");
        // The SDK lists specversion apart from the populated attributes.
        Assert.Equal(expected.SpecVersion.VersionId, attributes.GetProperty("specversion").GetProperty("value").GetString());
        var expectedNames = new HashSet<string> { "specversion" };
        foreach (var (attribute, value) in expected.GetPopulatedAttributes())
        {
            expectedNames.Add(attribute.Name);
            Assert.True(attributes.TryGetProperty(attribute.Name, out var entry), $"{label}: the SDK did not see '{attribute.Name}'");
            var jsType = entry.GetProperty("type").GetString();
            var jsValue = entry.GetProperty("value");
            if (attribute == expected.SpecVersion.TimeAttribute)
            {
                Assert.Equal((DateTimeOffset)value, DateTimeOffset.Parse(jsValue.GetString()!, CultureInfo.InvariantCulture));
            }
            else if (mode == ContentMode.Structured && attribute.Type == CloudEventAttributeType.Integer)
            {
                Assert.Equal(("number", (int)value), (jsType, jsValue.GetInt32()));
            }
            else if (mode == ContentMode.Structured && attribute.Type == CloudEventAttributeType.Boolean)
            {
                Assert.Equal(("boolean", (bool)value), (jsType, jsValue.GetBoolean()));
            }
            else
            {
                Assert.Equal("string", jsType);
                var text = jsValue.GetString()!;
                var decoded = mode == ContentMode.Binary && attribute != expected.SpecVersion.DataContentTypeAttribute
                    ? Uri.UnescapeDataString(text)
                    : text;
                Assert.True(attribute.Format(value) == decoded, $"{label}: '{attribute.Name}' expected '{attribute.Format(value)}' but the SDK saw '{text}'");
            }
        }

        foreach (var name in attributes.EnumerateObject().Select(p => p.Name))
        {
            // The SDK stamps the current time on events that have none.
            Assert.True(expectedNames.Contains(name) || (name == "time" && expected.Time is null), $"{label}: the SDK saw an extra attribute '{name}'");
        }

        AssertSdkData(expected, seen.GetProperty("data"), mode, label);
    }

    private static void AssertSdkData(CloudEvent expected, JsonElement data, ContentMode mode, string label)
    {
        var kind = data.GetProperty("kind").GetString();
        switch (expected.Data)
        {
            case null:
                Assert.Equal("none", kind);
                break;
            case string text:
                Assert.Equal(("string", text), (kind, data.GetProperty("value").GetString()));
                break;
            case JsonElement element when kind == "string":
                // A JSON string value reads as a JS string. In binary mode the SDK parses the body only
                // for content types it knows (application/json, optionally with charset=utf-8);
                // for others (e.g. +json suffixes) it hands over the JSON text.
                var jsText = data.GetProperty("value").GetString()!;
                var sdkParsed = mode == ContentMode.Structured
                    || expected.DataContentType is "application/json" or "application/json; charset=utf-8";
                var equal = sdkParsed
                    ? element.ValueKind == JsonValueKind.String && element.GetString() == jsText
                    : JsonElement.DeepEquals(element, JsonDocument.Parse(jsText).RootElement);
                Assert.True(equal, $"{label}: JSON data differs: {jsText}");
                break;
            case JsonElement element:
                Assert.Equal("json", kind);
                Assert.True(JsonElement.DeepEquals(element, data.GetProperty("value")), $"{label}: JSON data differs: {data.GetProperty("value")}");
                break;
            case byte[] bytes when mode == ContentMode.Binary && expected.DataContentType == "application/json":
                // JSON bytes are the body as they are, and the JS SDK parses that body as JSON.
                Assert.Equal("json", kind);
                Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(bytes).RootElement, data.GetProperty("value")), $"{label}: JSON data differs");
                break;
            default:
                Assert.Equal("binary", kind);
                Assert.Equal(Convert.ToBase64String(EventAssert.AsBytes(expected.Data)!), data.GetProperty("base64").GetString());
                break;
        }
    }
}
