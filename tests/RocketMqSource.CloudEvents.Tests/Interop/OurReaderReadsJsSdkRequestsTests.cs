using System.Globalization;
using System.Text.Json;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>
/// The official JS SDK emits events (binary and structured through its own emitter and HTTP
/// transport, plus a JSON batch) to Kestrel on loopback; our reader must accept every request and
/// read each event attribute by attribute as the SDK describes it.
/// </summary>
public class OurReaderReadsJsSdkRequestsTests
{
    [Fact]
    public async Task Our_reader_accepts_every_request_the_JS_SDK_emits()
    {
        // Binary mode carries no types; a receiver declares the extensions it knows.
        var count = CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer);
        var urgent = CloudEventAttribute.CreateExtension("urgent", CloudEventAttributeType.Boolean);
        await using var server = await KestrelEventRecorder.StartAsync(LoopbackPort.GetFree(), new JsonEventFormatter(), count, urgent);

        var sent = JsonDocument.Parse((await NodePeer.RunAsync("cloudevents-sender.mjs", [server.Url])).EnsureSuccess().StandardOutput)
            .RootElement.EnumerateArray().ToList();

        var received = server.Received.ToList();
        Assert.All(received, r => Assert.True(r.Error is null, $"our reader refused a {r.Mode} request: {r.Error}"));
        var read = received.SelectMany(r => r.Events.Select(e => (r.Mode, Event: e))).ToList();
        Assert.Equal(sent.Count, read.Count);
        Assert.Contains(read, r => r.Mode == "binary");
        Assert.Contains(read, r => r.Mode == "structured");
        Assert.Contains(read, r => r.Mode == "batch");
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].GetProperty("mode").GetString(), read[i].Mode);
            AssertWeRead(sent[i].GetProperty("event"), read[i].Event, $"{read[i].Mode} {read[i].Event.Id}");
        }
    }

    private static void AssertWeRead(JsonElement js, CloudEvent ours, string label)
    {
        var names = new HashSet<string>();
        foreach (var property in js.EnumerateObject())
        {
            if (property.Name is "data" or "data_base64")
            {
                continue;
            }

            if (property.Name == "specversion")
            {
                // Not an indexer key in the SDK: the event's version says it.
                Assert.Equal(property.Value.GetString(), ours.SpecVersion.VersionId);
                continue;
            }

            names.Add(property.Name);
            var value = ours[property.Name];
            Assert.True(value is not null, $"{label}: we did not read '{property.Name}'");
            var attribute = ours.GetAttribute(property.Name)!;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    Assert.Equal(property.Value.GetInt32(), Assert.IsType<int>(value));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    Assert.Equal(property.Value.GetBoolean(), Assert.IsType<bool>(value));
                    break;
                case JsonValueKind.String when attribute == ours.SpecVersion.TimeAttribute:
                    Assert.Equal(DateTimeOffset.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture), ours.Time);
                    break;
                default:
                    Assert.Equal(property.Value.GetString(), attribute.Format(value));
                    break;
            }
        }

        var extra = ours.GetPopulatedAttributes().Select(a => a.Key.Name).Where(n => !names.Contains(n)).ToList();
        Assert.True(extra.Count == 0, $"{label}: we read attributes the SDK did not send: {string.Join(", ", extra)}");

        if (js.TryGetProperty("data_base64", out var base64))
        {
            Assert.Equal(base64.GetString(), Convert.ToBase64String(EventAssert.AsBytes(ours.Data)!));
        }
        else if (js.TryGetProperty("data", out var data))
        {
            if (data.ValueKind == JsonValueKind.String && !(ours.DataContentType ?? string.Empty).Contains("json", StringComparison.Ordinal))
            {
                Assert.Equal(data.GetString(), Assert.IsType<string>(ours.Data));
            }
            else
            {
                Assert.True(JsonElement.DeepEquals(data, Assert.IsType<JsonElement>(ours.Data)), $"{label}: data differs");
            }
        }
        else
        {
            Assert.Null(ours.Data);
        }
    }
}
