using System.Text.Json;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Reads K_CE_OVERRIDES: <c>{"extensions":{"name":"value"}}</c>, as Knative's CloudEventOverrides.</summary>
internal static class CeOverridesParser
{
    public const string Variable = "K_CE_OVERRIDES";

    // Overrides may only add extensions; these names belong to the event itself.
    private static readonly HashSet<string> ReservedNames =
        ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data", "data_base64"];

    public static IReadOnlyDictionary<string, string> Parse(string? json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null)
        {
            return result;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(Variable, $"is not valid JSON ({e.Message.Split('\n')[0]})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException(Variable, "must be a JSON object like {\"extensions\":{\"name\":\"value\"}}");
            }

            if (!document.RootElement.TryGetProperty("extensions", out var extensions) || extensions.ValueKind == JsonValueKind.Null)
            {
                return result;
            }

            if (extensions.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException(Variable, "\"extensions\" must be an object of string values");
            }

            foreach (var property in extensions.EnumerateObject())
            {
                ValidateName(property.Name);
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ConfigurationException(Variable, $"extension '{property.Name}' must have a string value");
                }

                result[property.Name] = property.Value.GetString()!;
            }
        }

        return result;
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')))
        {
            throw new ConfigurationException(Variable, $"extension name '{name}' must be lower-case letters and digits only");
        }

        if (ReservedNames.Contains(name))
        {
            throw new ConfigurationException(Variable, $"extension name '{name}' is a CloudEvents core attribute and cannot be overridden");
        }
    }
}
