using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RocketMqSource.Kubernetes.Serialization;

/// <summary>
/// metav1.Time: RFC 3339 in UTC with whole seconds, as the API server writes it. Public so
/// source-generated contexts of custom resource types in other assemblies can use the models.
/// </summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubernetesTimeFormat.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}

/// <summary>
/// metav1.MicroTime: RFC 3339 with exactly six fractional digits; the API server's parser
/// refuses other precisions for this type.
/// </summary>
public sealed class KubernetesMicroTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubernetesTimeFormat.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}

internal static class KubernetesTimeFormat
{
    public static DateTimeOffset Parse(string? text) =>
        DateTimeOffset.Parse(
            text ?? throw new JsonException("timestamp must be a string"),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Reads and writes IntOrString as a JSON number or string.</summary>
public sealed class IntOrStringConverter : JsonConverter<Models.IntOrString>
{
    public override Models.IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => Models.IntOrString.FromInt(reader.GetInt32()),
            JsonTokenType.String => Models.IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException("IntOrString must be a number or a string"),
        };

    public override void Write(Utf8JsonWriter writer, Models.IntOrString value, JsonSerializerOptions options)
    {
        if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}
