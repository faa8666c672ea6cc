using System.Text;
using System.Text.Json;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>Events the SDK's writers send to the JS SDK: every data kind, every extension type, non-ASCII text.</summary>
internal static class InteropEvents
{
    public const string NonAscii = "Grüße, 世界 😀 – 100% \"quoted\" a b";

    public static IReadOnlyList<CloudEvent> All() =>
    [
        WithAllExtensionTypes(new CloudEvent
        {
            Id = "ours-binary-1",
            Source = new Uri("/apis/v1/namespaces/default/rocketmqsources/orders#orders", UriKind.Relative),
            Type = "dev.knative.rocketmq.event",
            Time = new DateTimeOffset(2026, 11, 21, 17, 30, 0, 123, TimeSpan.Zero),
            DataContentType = "application/octet-stream",
            Data = new byte[] { 0, 1, 2, 127, 128, 250, 255, 13, 10 },
        }),
        new CloudEvent
        {
            Id = "ours-text-2 " + NonAscii,
            Source = new Uri("https://example.com/orders?x=1", UriKind.Absolute),
            Type = "com.example.order.created",
            Subject = NonAscii,
            DataContentType = "text/plain; charset=utf-8",
            Data = "naïve café ☕ " + NonAscii,
            ["rocketmqtag"] = NonAscii,
        },
        new CloudEvent
        {
            Id = "ours-json-3",
            Source = new Uri("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", UriKind.Absolute),
            Type = "com.example.order.paid",
            Time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(5.5)),
            DataSchema = new Uri("https://schemas.example.com/order.json", UriKind.Absolute),
            DataContentType = "application/json",
            Data = JsonDocument.Parse("""{"orderId":42,"customer":"Zoë 中文","items":["pizza","cola"],"paid":true,"total":12.5}""").RootElement.Clone(),
            [CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer)] = -7,
            [CloudEventAttribute.CreateExtension("urgent", CloudEventAttributeType.Boolean)] = false,
        },
        new CloudEvent
        {
            Id = "ours-nodata-4",
            Source = new Uri("relative/source", UriKind.Relative),
            Type = "com.example.ping",
        },
        new CloudEvent
        {
            Id = "ours-json-bytes-5",
            Source = new Uri("/orders", UriKind.Relative),
            Type = "com.example.blob",
            DataContentType = "application/json",
            Data = Encoding.UTF8.GetBytes("""{"raw":"bytes"}"""),
        },
    ];

    private static CloudEvent WithAllExtensionTypes(CloudEvent cloudEvent)
    {
        cloudEvent[CloudEventAttribute.CreateExtension("greeting", CloudEventAttributeType.String)] = NonAscii;
        cloudEvent[CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer)] = int.MinValue;
        cloudEvent[CloudEventAttribute.CreateExtension("urgent", CloudEventAttributeType.Boolean)] = true;
        cloudEvent[CloudEventAttribute.CreateExtension("signature", CloudEventAttributeType.Binary)] = new byte[] { 1, 2, 3, 254, 255 };
        cloudEvent[CloudEventAttribute.CreateExtension("deadline", CloudEventAttributeType.Timestamp)] =
            new DateTimeOffset(2026, 12, 24, 18, 0, 0, TimeSpan.FromHours(-3));
        cloudEvent[CloudEventAttribute.CreateExtension("callback", CloudEventAttributeType.Uri)] = new Uri("https://example.com/cb?a=b&c=d");
        cloudEvent[CloudEventAttribute.CreateExtension("parent", CloudEventAttributeType.UriReference)] = new Uri("../parent#frag", UriKind.Relative);
        return cloudEvent;
    }
}
