using System.Globalization;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents;

/// <summary>
/// The CloudEvents type system: each type knows its CLR representation, its canonical string
/// form (used by binary-mode bindings) and its value rules.
/// </summary>
public abstract class CloudEventAttributeType
{
    /// <summary>Unicode text without control characters, unpaired surrogates or noncharacters (CLR: string).</summary>
    public static readonly CloudEventAttributeType String = new StringType();

    /// <summary>Absolute URI (CLR: System.Uri).</summary>
    public static readonly CloudEventAttributeType Uri = new UriType("URI", requireAbsolute: true);

    /// <summary>Absolute or relative URI-reference (CLR: System.Uri).</summary>
    public static readonly CloudEventAttributeType UriReference = new UriType("URI-reference", requireAbsolute: false);

    /// <summary>RFC 3339 date-time (CLR: DateTimeOffset).</summary>
    public static readonly CloudEventAttributeType Timestamp = new TimestampType();

    /// <summary>Bytes, base64 in text form (CLR: byte[]).</summary>
    public static readonly CloudEventAttributeType Binary = new BinaryType();

    /// <summary>Signed 32-bit integer (CLR: int).</summary>
    public static readonly CloudEventAttributeType Integer = new IntegerType();

    /// <summary>true or false (CLR: bool).</summary>
    public static readonly CloudEventAttributeType Boolean = new BooleanType();

    private CloudEventAttributeType(string name, Type clrType)
    {
        Name = name;
        ClrType = clrType;
    }

    /// <summary>The spec's name of the type, e.g. "URI-reference".</summary>
    public string Name { get; }

    /// <summary>The CLR type values of this type have in a <see cref="CloudEvent"/>.</summary>
    public Type ClrType { get; }

    /// <summary>Parses the canonical string form. Throws FormatException when the text is not of this type.</summary>
    public abstract object Parse(string value);

    /// <summary>The canonical string form of a value of this type.</summary>
    public abstract string Format(object value);

    /// <summary>Throws ArgumentException when the value is not a valid value of this type.</summary>
    public abstract void Validate(object value);

    public override string ToString() => Name;

    /// <summary>The type for a CLR value, used when an extension is set without being declared first.</summary>
    internal static CloudEventAttributeType? ForClrValue(object value) => value switch
    {
        string => String,
        int => Integer,
        bool => Boolean,
        byte[] => Binary,
        DateTimeOffset => Timestamp,
        System.Uri uri => uri.IsAbsoluteUri ? Uri : UriReference,
        _ => null,
    };

    private void CheckClrType(object value)
    {
        if (!ClrType.IsInstanceOfType(value))
        {
            throw new ArgumentException($"a {Name} value must be a {ClrType.Name}, not {value.GetType().Name}");
        }
    }

    private sealed class StringType() : CloudEventAttributeType("String", typeof(string))
    {
        public override object Parse(string value)
        {
            Validate(value);
            return value;
        }

        public override string Format(object value)
        {
            Validate(value);
            return (string)value;
        }

        public override void Validate(object value)
        {
            CheckClrType(value);
            if (SpecStrings.FindInvalidCharacter((string)value) is { } problem)
            {
                throw new ArgumentException(problem);
            }
        }
    }

    private sealed class UriType(string name, bool requireAbsolute) : CloudEventAttributeType(name, typeof(System.Uri))
    {
        public override object Parse(string value) =>
            UriReferences.TryParse(value, requireAbsolute, out var error) ?? throw new FormatException(error);

        public override string Format(object value)
        {
            Validate(value);
            return UriReferences.Format((System.Uri)value);
        }

        public override void Validate(object value)
        {
            CheckClrType(value);
            if (UriReferences.TryParse(((System.Uri)value).OriginalString, requireAbsolute, out var error) is null)
            {
                throw new ArgumentException(error);
            }
        }
    }

    private sealed class TimestampType() : CloudEventAttributeType("Timestamp", typeof(DateTimeOffset))
    {
        public override object Parse(string value) =>
            Rfc3339.TryParse(value, out var error) ?? throw new FormatException(error);

        public override string Format(object value)
        {
            Validate(value);
            return Rfc3339.Format((DateTimeOffset)value);
        }

        public override void Validate(object value) => CheckClrType(value);
    }

    private sealed class BinaryType() : CloudEventAttributeType("Binary", typeof(byte[]))
    {
        public override object Parse(string value)
        {
            try
            {
                return Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                throw new FormatException($"'{value}' is not base64");
            }
        }

        public override string Format(object value)
        {
            Validate(value);
            return Convert.ToBase64String((byte[])value);
        }

        public override void Validate(object value) => CheckClrType(value);
    }

    private sealed class IntegerType() : CloudEventAttributeType("Integer", typeof(int))
    {
        public override object Parse(string value)
        {
            // Canonical form only: optional '-', decimal digits, no '+', spaces or exponents.
            if (value.Length > 0 && value[0] != '+'
                && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
            {
                return result;
            }

            throw new FormatException($"'{value}' is not a 32-bit signed integer");
        }

        public override string Format(object value)
        {
            Validate(value);
            return ((int)value).ToString(CultureInfo.InvariantCulture);
        }

        public override void Validate(object value) => CheckClrType(value);
    }

    private sealed class BooleanType() : CloudEventAttributeType("Boolean", typeof(bool))
    {
        public override object Parse(string value) => value switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"'{value}' is not a Boolean (true or false, lower case)"),
        };

        public override string Format(object value)
        {
            Validate(value);
            return (bool)value ? "true" : "false";
        }

        public override void Validate(object value) => CheckClrType(value);
    }
}
