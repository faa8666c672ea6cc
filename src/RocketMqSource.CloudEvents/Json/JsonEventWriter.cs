using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.Json;

/// <summary>Writes events in the JSON event format straight into a buffer writer (no DOM, no strings).</summary>
internal static class JsonEventWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Relaxed escaping keeps non-ASCII text as UTF-8: valid JSON, and the body is not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? _cachedWriter;

    public static void WriteEvent(CloudEvent cloudEvent, IBufferWriter<byte> destination) =>
        Write(destination, writer => WriteObject(writer, cloudEvent));

    public static void WriteBatch(IEnumerable<CloudEvent> cloudEvents, IBufferWriter<byte> destination) =>
        Write(destination, writer =>
        {
            writer.WriteStartArray();
            foreach (var cloudEvent in cloudEvents)
            {
                WriteObject(writer, cloudEvent);
            }

            writer.WriteEndArray();
        });

    /// <summary>A string as a JSON string literal (binary-mode data of a JSON content type).</summary>
    public static void WriteStringValue(string value, IBufferWriter<byte> destination) =>
        Write(destination, writer => writer.WriteStringValue(value));

    public static void WriteElement(JsonElement element, IBufferWriter<byte> destination) =>
        Write(destination, element.WriteTo);

    private static void Write(IBufferWriter<byte> destination, Action<Utf8JsonWriter> body)
    {
        var writer = _cachedWriter ??= new Utf8JsonWriter(destination, Options);
        writer.Reset(destination);
        try
        {
            body(writer);
            writer.Flush();
        }
        finally
        {
            writer.Reset();
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        cloudEvent.Validate();
        writer.WriteStartObject();
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute.Type == CloudEventAttributeType.Integer)
            {
                writer.WriteNumber(attribute.Name, (int)value);
            }
            else if (attribute.Type == CloudEventAttributeType.Boolean)
            {
                writer.WriteBoolean(attribute.Name, (bool)value);
            }
            else
            {
                writer.WriteString(attribute.Name, attribute.Format(value));
            }
        }

        WriteData(writer, cloudEvent);
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, CloudEvent cloudEvent)
    {
        switch (cloudEvent.Data)
        {
            case null:
                return;
            case string text:
                writer.WriteString("data", text);
                return;
            case JsonElement element:
                writer.WritePropertyName("data");
                element.WriteTo(writer);
                return;
            case byte[] bytes:
                WriteBytes(writer, bytes, cloudEvent.DataContentType);
                return;
            case ReadOnlyMemory<byte> memory:
                WriteBytes(writer, memory.Span, cloudEvent.DataContentType);
                return;
            default:
                throw new InvalidCloudEventException(
                    "data", $"unsupported data type {cloudEvent.Data.GetType().Name} (use string, byte[], ReadOnlyMemory<byte> or JsonElement)");
        }
    }

    private static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes, string? dataContentType)
    {
        if (!MediaTypes.IsJson(dataContentType))
        {
            writer.WriteBase64String("data_base64", bytes);
            return;
        }

        // Bytes of a JSON content type are JSON text: embed them as the data value.
        writer.WritePropertyName("data");
        try
        {
            writer.WriteRawValue(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidCloudEventException("data", $"datacontenttype is {dataContentType} but the data is not valid JSON", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidCloudEventException("data", $"datacontenttype is {dataContentType} but the data is not valid JSON", e);
        }
    }
}
