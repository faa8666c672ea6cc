using System.Globalization;
using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Models;

/// <summary>intstr.IntOrString: a port number or a port name.</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public sealed record IntOrString
{
    private IntOrString(int? number, string? text) => (Number, Text) = (number, text);

    public int? Number { get; }

    public string? Text { get; }

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value);

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Text ?? string.Empty;
}
