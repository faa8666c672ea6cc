using System.Net.Mime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.SystemTextJson;

namespace RocketMqSource.Adapter.Conversion;

/// <summary>
/// The JSON event format as the adapter uses it: data is serialised through source-generated
/// metadata (reflection-based serialisation fails at run time under Native AOT), and binary-mode
/// data is kept as the message's own bytes rather than parsed, so a forwarded event's body reaches
/// the sink unchanged and costs no JSON parse.
/// </summary>
internal sealed class AdapterEventFormatter : JsonEventFormatter
{
    private AdapterEventFormatter()
        : base(new JsonSerializerOptions { TypeInfoResolver = EventDataJsonContext.Default }, default)
    {
    }

    public static AdapterEventFormatter Instance { get; } = new();

    /// <summary>
    /// As the SDK's, except for string data under a content type that is neither JSON nor text/*
    /// (a structured event with <c>"datacontenttype":"application/xml","data":"&lt;a/&gt;"</c>): the JSON
    /// format carries such data as a string, and the SDK's formatter refuses to write it as a body
    /// ("cannot serialize data of type System.String": SystemTextJson/JsonEventFormatter.cs
    /// EncodeBinaryModeEventData). Its text in the content type's charset (UTF-8 by default) is the data.
    /// </summary>
    public override ReadOnlyMemory<byte> EncodeBinaryModeEventData(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent.Data is string text && cloudEvent.DataContentType is { } declared)
        {
            var contentType = new ContentType(declared);
            if (!IsJsonMediaType(contentType.MediaType) && !contentType.MediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                return MimeUtilities.GetEncoding(contentType).GetBytes(text);
            }
        }

        return base.EncodeBinaryModeEventData(cloudEvent);
    }

    public override void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        // byte[] data is what the SDK writes as the body without re-encoding; a whole array is not copied.
        cloudEvent.Data = body.IsEmpty ? null
            : MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array
            : body.ToArray();
    }
}

/// <summary>The data kinds the formatter serialises: JSON read from a structured event, and text.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class EventDataJsonContext : JsonSerializerContext;
