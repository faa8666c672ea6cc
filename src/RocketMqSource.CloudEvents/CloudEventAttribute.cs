using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents;

/// <summary>
/// A context attribute: a name, a type, and whether it is required or an extension. Core
/// attributes come from <see cref="CloudEventsSpecVersion"/>; extensions are created with
/// <see cref="CreateExtension"/>.
/// </summary>
public sealed class CloudEventAttribute
{
    private readonly Func<object, string?>? _extraRule;
    private string? _httpHeaderName;
    private string? _rocketMqPropertyName;

    private CloudEventAttribute(string name, CloudEventAttributeType type, bool isRequired, bool isExtension, Func<object, string?>? extraRule)
    {
        Name = name;
        Type = type;
        IsRequired = isRequired;
        IsExtension = isExtension;
        _extraRule = extraRule;
    }

    public string Name { get; }

    public CloudEventAttributeType Type { get; }

    public bool IsRequired { get; }

    public bool IsExtension { get; }

    /// <summary>"ce-{name}", built once per attribute so binary-mode writers do not allocate it per message.</summary>
    internal string HttpHeaderName => _httpHeaderName ??= "ce-" + Name;

    /// <summary>"CE_{name}", the RocketMQ binding's user property, built once per attribute.</summary>
    internal string RocketMqPropertyName => _rocketMqPropertyName ??= "CE_" + Name;

    /// <summary>
    /// Declares an extension attribute. The name must consist of lower-case ASCII letters and digits
    /// (the spec recommends at most 20 characters; longer names are allowed) and must not be a core
    /// attribute name or "data".
    /// </summary>
    public static CloudEventAttribute CreateExtension(string name, CloudEventAttributeType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        ValidateExtensionName(name);
        return new CloudEventAttribute(name, type, isRequired: false, isExtension: true, extraRule: null);
    }

    internal static CloudEventAttribute CreateCore(string name, CloudEventAttributeType type, bool isRequired, Func<object, string?>? extraRule = null) =>
        new(name, type, isRequired, isExtension: false, extraRule);

    internal static void ValidateExtensionName(string name)
    {
        if (!SpecStrings.IsValidAttributeName(name))
        {
            throw new InvalidCloudEventException(
                name,
                "attribute names must consist of lower-case ASCII letters ('a'-'z') and digits ('0'-'9') only");
        }

        if (name == "data" || CloudEventsSpecVersion.V1_0.GetAttributeByName(name) is not null)
        {
            throw new InvalidCloudEventException(name, "the name is reserved by the CloudEvents specification");
        }
    }

    /// <summary>Parses the canonical string form into a value of this attribute's type.</summary>
    public object Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        object value;
        try
        {
            value = Type.Parse(text);
        }
        catch (Exception e) when (e is FormatException || (e is ArgumentException && e is not InvalidCloudEventException))
        {
            throw new InvalidCloudEventException(Name, $"not a valid {Type.Name}: {e.Message}", e);
        }

        return Validate(value);
    }

    /// <summary>The canonical string form of a value of this attribute.</summary>
    public string Format(object value) => Type.Format(Validate(value));

    /// <summary>Checks a value against the attribute's type and rules, returning it.</summary>
    public object Validate(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            Type.Validate(value);
        }
        catch (ArgumentException e) when (e is not InvalidCloudEventException)
        {
            throw new InvalidCloudEventException(Name, e.Message, e);
        }

        if (_extraRule?.Invoke(value) is { } problem)
        {
            throw new InvalidCloudEventException(Name, problem);
        }

        return value;
    }

    public override string ToString() => Name;
}
