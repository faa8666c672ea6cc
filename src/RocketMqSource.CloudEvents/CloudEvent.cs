namespace RocketMqSource.CloudEvents;

/// <summary>
/// A CloudEvent: context attributes (core and extensions, each typed) and optional data.
/// Every value is validated when set; <see cref="Validate"/> checks the required attributes.
/// </summary>
/// <remarks>
/// Data is one of: null, <see cref="string"/>, <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes
/// (not copied: the event refers to the caller's buffer) or <see cref="System.Text.Json.JsonElement"/>.
/// </remarks>
public sealed class CloudEvent
{
    private readonly Dictionary<string, CloudEventAttribute> _extensions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public CloudEvent()
        : this(null)
    {
    }

    /// <summary>Creates an event that knows these extension attributes (and so their types) up front.</summary>
    public CloudEvent(IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        foreach (var attribute in extensionAttributes ?? [])
        {
            AddExtension(attribute);
        }
    }

    public CloudEventsSpecVersion SpecVersion => CloudEventsSpecVersion.V1_0;

    /// <summary>The extension attributes this event knows (whether or not they have a value).</summary>
    public IEnumerable<CloudEventAttribute> ExtensionAttributes => _extensions.Values;

    public string? Id
    {
        get => (string?)this[SpecVersion.IdAttribute];
        set => this[SpecVersion.IdAttribute] = value;
    }

    /// <summary>A URI-reference; relative references such as "/apis/v1/..." are allowed.</summary>
    public Uri? Source
    {
        get => (Uri?)this[SpecVersion.SourceAttribute];
        set => this[SpecVersion.SourceAttribute] = value;
    }

    public string? Type
    {
        get => (string?)this[SpecVersion.TypeAttribute];
        set => this[SpecVersion.TypeAttribute] = value;
    }

    public string? DataContentType
    {
        get => (string?)this[SpecVersion.DataContentTypeAttribute];
        set => this[SpecVersion.DataContentTypeAttribute] = value;
    }

    public Uri? DataSchema
    {
        get => (Uri?)this[SpecVersion.DataSchemaAttribute];
        set => this[SpecVersion.DataSchemaAttribute] = value;
    }

    public string? Subject
    {
        get => (string?)this[SpecVersion.SubjectAttribute];
        set => this[SpecVersion.SubjectAttribute] = value;
    }

    public DateTimeOffset? Time
    {
        get => (DateTimeOffset?)this[SpecVersion.TimeAttribute];
        set => this[SpecVersion.TimeAttribute] = value;
    }

    /// <summary>The event data (see the type's remarks for the supported kinds).</summary>
    public object? Data { get; set; }

    /// <summary>True when every required attribute has a value.</summary>
    public bool IsValid => SpecVersion.RequiredAttributes.All(a => a == SpecVersion.SpecVersionAttribute || _values.ContainsKey(a.Name));

    /// <summary>Gets or sets an attribute value; null removes it. The specversion attribute is read-only.</summary>
    public object? this[CloudEventAttribute attribute]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(attribute);
            return attribute == SpecVersion.SpecVersionAttribute ? SpecVersion.VersionId : _values.GetValueOrDefault(attribute.Name);
        }

        set
        {
            ArgumentNullException.ThrowIfNull(attribute);
            var known = ResolveForWrite(attribute);
            if (value is null)
            {
                _values.Remove(known.Name);
                return;
            }

            _values[known.Name] = known.Validate(value);
        }
    }

    /// <summary>
    /// Gets or sets an attribute by name. Setting an unknown name declares an extension whose type
    /// follows the value's CLR type (string, int, bool, byte[], Uri, DateTimeOffset).
    /// </summary>
    public object? this[string attributeName]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(attributeName);
            return GetAttribute(attributeName) is { } attribute ? this[attribute] : null;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(attributeName);
            var attribute = GetAttribute(attributeName);
            if (attribute is null)
            {
                if (value is null)
                {
                    CloudEventAttribute.ValidateExtensionName(attributeName);
                    return;
                }

                var type = CloudEventAttributeType.ForClrValue(value)
                    ?? throw new InvalidCloudEventException(attributeName, $"a {value.GetType().Name} value has no CloudEvents type");
                attribute = CloudEventAttribute.CreateExtension(attributeName, type);
            }

            this[attribute] = value;
        }
    }

    /// <summary>The core or extension attribute with this name, or null when the event does not know it.</summary>
    public CloudEventAttribute? GetAttribute(string name) =>
        SpecVersion.GetAttributeByName(name) ?? _extensions.GetValueOrDefault(name);

    /// <summary>
    /// Sets an attribute from its canonical string form (as binary-mode bindings carry it). An unknown
    /// name becomes a String extension.
    /// </summary>
    public void SetAttributeFromString(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var attribute = GetAttribute(name) ?? CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String);
        if (attribute == SpecVersion.SpecVersionAttribute)
        {
            if (value != SpecVersion.VersionId)
            {
                throw new InvalidCloudEventException(name, $"unsupported specversion '{value}' (only {SpecVersion.VersionId})");
            }

            return;
        }

        this[attribute] = attribute.Parse(value);
    }

    /// <summary>Every attribute with a value, specversion first, then in the order they were set.</summary>
    public IEnumerable<KeyValuePair<CloudEventAttribute, object>> GetPopulatedAttributes()
    {
        yield return new(SpecVersion.SpecVersionAttribute, SpecVersion.VersionId);
        foreach (var (name, value) in _values)
        {
            yield return new(GetAttribute(name)!, value);
        }
    }

    /// <summary>Throws <see cref="InvalidCloudEventException"/> naming the first missing required attribute.</summary>
    public CloudEvent Validate()
    {
        foreach (var attribute in SpecVersion.RequiredAttributes)
        {
            if (this[attribute] is null)
            {
                throw new InvalidCloudEventException(attribute.Name, "the required attribute is missing");
            }
        }

        return this;
    }

    private CloudEventAttribute ResolveForWrite(CloudEventAttribute attribute)
    {
        if (attribute == SpecVersion.SpecVersionAttribute)
        {
            throw new InvalidCloudEventException(attribute.Name, "specversion is fixed by the event's SpecVersion");
        }

        if (!attribute.IsExtension)
        {
            return SpecVersion.GetAttributeByName(attribute.Name) == attribute
                ? attribute
                : throw new InvalidCloudEventException(attribute.Name, "not a core attribute of CloudEvents 1.0");
        }

        AddExtension(attribute);
        return attribute;
    }

    private void AddExtension(CloudEventAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (!attribute.IsExtension)
        {
            throw new ArgumentException($"'{attribute.Name}' is a core attribute, not an extension", nameof(attribute));
        }

        if (_extensions.TryGetValue(attribute.Name, out var existing))
        {
            if (existing.Type != attribute.Type)
            {
                throw new InvalidCloudEventException(
                    attribute.Name, $"already declared with type {existing.Type.Name}, not {attribute.Type.Name}");
            }

            return;
        }

        _extensions.Add(attribute.Name, attribute);
    }
}
