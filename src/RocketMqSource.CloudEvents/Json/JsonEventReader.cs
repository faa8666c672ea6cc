using System.Text.Json;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.Json;

/// <summary>Reads events in the JSON event format (CloudEvents JSON Event Format 1.0.2).</summary>
internal static class JsonEventReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static CloudEvent ReadEvent(ReadOnlyMemory<byte> body, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        using var document = Parse(body);
        return ReadObject(document.RootElement, extensionAttributes);
    }

    public static IReadOnlyList<CloudEvent> ReadBatch(ReadOnlyMemory<byte> body, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        using var document = Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidCloudEventException("a batch must be a JSON array of events");
        }

        var extensions = extensionAttributes?.ToList();
        var events = new List<CloudEvent>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            events.Add(ReadObject(element, extensions));
        }

        return events;
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidCloudEventException($"the body is not valid JSON: {e.Message}", e);
        }
    }

    private static CloudEvent ReadObject(JsonElement root, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCloudEventException("a JSON-format event must be a JSON object");
        }

        if (!root.TryGetProperty("specversion", out var specVersion) || specVersion.ValueKind != JsonValueKind.String)
        {
            throw new InvalidCloudEventException("specversion", "the required attribute is missing or not a string");
        }

        var cloudEvent = new CloudEvent(extensionAttributes);
        JsonElement? data = null;
        byte[]? dataBase64 = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "data":
                    data = property.Value;
                    break;
                case "data_base64":
                    dataBase64 = ReadBase64(property.Value);
                    break;
                default:
                    ReadAttribute(cloudEvent, property.Name, property.Value);
                    break;
            }
        }

        if (data is not null && dataBase64 is not null)
        {
            throw new InvalidCloudEventException("data", "an event must not have both data and data_base64");
        }

        cloudEvent.Data = dataBase64 ?? ReadData(data, cloudEvent.DataContentType);
        return cloudEvent.Validate();
    }

    private static void ReadAttribute(CloudEvent cloudEvent, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            // The JSON format treats a null attribute as absent.
            return;
        }

        var attribute = cloudEvent.GetAttribute(name);
        if (attribute is null)
        {
            CloudEventAttribute.ValidateExtensionName(name);
            var type = value.ValueKind switch
            {
                JsonValueKind.String => CloudEventAttributeType.String,
                JsonValueKind.Number => CloudEventAttributeType.Integer,
                JsonValueKind.True or JsonValueKind.False => CloudEventAttributeType.Boolean,
                _ => throw new InvalidCloudEventException(name, $"a JSON {value.ValueKind} is not a CloudEvents attribute value"),
            };
            attribute = CloudEventAttribute.CreateExtension(name, type);
        }

        if (attribute.Type == CloudEventAttributeType.Integer && value.ValueKind == JsonValueKind.Number)
        {
            cloudEvent[attribute] = value.TryGetInt32(out var number)
                ? number
                : throw new InvalidCloudEventException(name, $"{value.GetRawText()} is not a 32-bit signed integer");
        }
        else if (attribute.Type == CloudEventAttributeType.Boolean && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            cloudEvent[attribute] = value.GetBoolean();
        }
        else if (value.ValueKind == JsonValueKind.String)
        {
            cloudEvent.SetAttributeFromString(name, value.GetString()!);
        }
        else
        {
            throw new InvalidCloudEventException(name, $"a JSON {value.ValueKind} is not a valid {attribute.Type.Name} value");
        }
    }

    private static byte[]? ReadBase64(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var bytes))
        {
            throw new InvalidCloudEventException("data_base64", "must be a base64 string");
        }

        return bytes;
    }

    private static object? ReadData(JsonElement? data, string? dataContentType)
    {
        if (data is not { } element || (element.ValueKind == JsonValueKind.Null && dataContentType is null))
        {
            return null;
        }

        // Without datacontenttype the JSON format implies application/json.
        if (dataContentType is null || MediaTypes.IsJson(dataContentType))
        {
            return element.Clone();
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.Clone();
    }
}
