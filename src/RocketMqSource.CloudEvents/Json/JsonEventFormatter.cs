using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.Json;

/// <summary>
/// The JSON event format (application/cloudevents+json) and its batch form
/// (application/cloudevents-batch+json). Integer and Boolean extensions are JSON numbers and
/// booleans; bytes are data_base64 unless the datacontenttype is JSON; JSON data is a JsonElement.
/// </summary>
public sealed class JsonEventFormatter : CloudEventFormatter
{
    public override ReadOnlyMemory<byte> EncodeStructuredModeMessage(CloudEvent cloudEvent, out string contentType)
    {
        using var buffer = new PooledBufferWriter();
        JsonEventWriter.WriteEvent(cloudEvent, buffer);
        contentType = MediaTypes.CloudEventsJson;
        return buffer.WrittenMemory.ToArray();
    }

    public override CloudEvent DecodeStructuredModeMessage(
        ReadOnlyMemory<byte> body, string? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        if (contentType is not null && !MediaTypes.IsJsonFormat(contentType))
        {
            throw new InvalidCloudEventException($"unsupported event format '{contentType}' (expected application/cloudevents+json)");
        }

        return JsonEventReader.ReadEvent(body, extensionAttributes);
    }

    public override ReadOnlyMemory<byte> EncodeBatchModeMessage(IEnumerable<CloudEvent> cloudEvents, out string contentType)
    {
        ArgumentNullException.ThrowIfNull(cloudEvents);
        using var buffer = new PooledBufferWriter();
        JsonEventWriter.WriteBatch(cloudEvents, buffer);
        contentType = MediaTypes.CloudEventsBatchJson;
        return buffer.WrittenMemory.ToArray();
    }

    public override IReadOnlyList<CloudEvent> DecodeBatchModeMessage(
        ReadOnlyMemory<byte> body, string? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        if (contentType is not null && !MediaTypes.IsBatch(contentType))
        {
            throw new InvalidCloudEventException($"unsupported batch format '{contentType}' (expected application/cloudevents-batch+json)");
        }

        return JsonEventReader.ReadBatch(body, extensionAttributes);
    }

    public override ReadOnlyMemory<byte> EncodeBinaryModeEventData(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        switch (cloudEvent.Data)
        {
            case null:
                return ReadOnlyMemory<byte>.Empty;
            case byte[] bytes:
                return bytes;
            case ReadOnlyMemory<byte> memory:
                return memory;
            case string text when !MediaTypes.IsJson(cloudEvent.DataContentType):
                return Encoding.UTF8.GetBytes(text);
            case string text:
                return Serialize(buffer => JsonEventWriter.WriteStringValue(text, buffer));
            case JsonElement element:
                return Serialize(buffer => JsonEventWriter.WriteElement(element, buffer));
            default:
                throw new InvalidCloudEventException(
                    "data", $"unsupported data type {cloudEvent.Data.GetType().Name} (use string, byte[], ReadOnlyMemory<byte> or JsonElement)");
        }
    }

    /// <summary>JSON content types give a JsonElement, text/* a string, anything else the bytes.</summary>
    public override void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var contentType = cloudEvent.DataContentType;
        if (body.IsEmpty)
        {
            cloudEvent.Data = null;
        }
        else if (MediaTypes.IsJson(contentType))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                cloudEvent.Data = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidCloudEventException("data", $"datacontenttype is {contentType} but the body is not valid JSON", e);
            }
        }
        else if (MediaTypes.IsText(contentType))
        {
            cloudEvent.Data = Encoding.UTF8.GetString(body.Span);
        }
        else
        {
            cloudEvent.Data = MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : body.ToArray();
        }
    }

    /// <summary>Writes the event into a pooled buffer the caller disposes (the HTTP hot path).</summary>
    internal static PooledBufferWriter EncodeStructuredPooled(CloudEvent cloudEvent)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            JsonEventWriter.WriteEvent(cloudEvent, buffer);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    internal static PooledBufferWriter EncodeBatchPooled(IEnumerable<CloudEvent> cloudEvents)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            JsonEventWriter.WriteBatch(cloudEvents, buffer);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static byte[] Serialize(Action<PooledBufferWriter> write)
    {
        using var buffer = new PooledBufferWriter(256);
        write(buffer);
        return buffer.WrittenMemory.ToArray();
    }
}
