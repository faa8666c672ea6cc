using System.Text.Json;
using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Configuration;

/// <summary>Reads K_CE_OVERRIDES: <c>{"extensions":{"name":"value"}}</c>, as Knative's CloudEventOverrides.</summary>
internal static class CeOverridesParser
{
    private const string Variable = AdapterVariables.CeOverrides;

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
                if (ExtensionNames.Problem(property.Name) is { } problem)
                {
                    throw new ConfigurationException(Variable, problem);
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ConfigurationException(Variable, $"extension '{property.Name}' must have a string value");
                }

                result[property.Name] = property.Value.GetString()!;
            }
        }

        return result;
    }
}
