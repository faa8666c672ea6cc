namespace RocketMqSource.CloudEvents.Tests.Model;

public class AttributeTypeTests
{
    public static TheoryData<string, string> CanonicalForms => new()
    {
        { "String", "héllo wörld 😀" },
        { "Integer", "-2147483648" },
        { "Integer", "2147483647" },
        { "Integer", "0" },
        { "Boolean", "true" },
        { "Boolean", "false" },
        { "Binary", "AQID/v8=" },
        { "Binary", string.Empty },
        { "Timestamp", "2026-11-21T17:30:00Z" },
        { "Timestamp", "2026-11-21T17:30:00.1234567+05:30" },
        { "URI", "https://example.com/a?b=c#d" },
        { "URI", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66" },
        { "URI-reference", "/apis/v1/namespaces/default/rocketmqsources/orders#orders" },
        { "URI-reference", "relative/path?q=1" },
        { "URI-reference", "mailto:cncf@example.com" },
    };

    public static TheoryData<string, string> InvalidForms => new()
    {
        { "String", "bell\u0007" },
        { "String", "c1 control \u0085" },
        { "String", "noncharacter \uFFFE" },
        { "String", "noncharacter \uFDD0" },
        { "Integer", "+1" },
        { "Integer", "1.0" },
        { "Integer", "2147483648" },
        { "Integer", " 1" },
        { "Integer", "1e3" },
        { "Integer", string.Empty },
        { "Boolean", "True" },
        { "Boolean", "1" },
        { "Binary", "not base64!" },
        { "Timestamp", "2026-11-21 17:30:00Z" },
        { "Timestamp", "2026-11-21T17:30:00" },
        { "Timestamp", "2026-02-30T00:00:00Z" },
        { "Timestamp", "2026-11-21T24:00:00Z" },
        { "Timestamp", "2026-11-21T17:30:00.Z" },
        { "Timestamp", "2016-12-31T23:59:60Z" },
        { "Timestamp", "2026-11-21T17:30:00+0530" },
        { "URI", "/relative/only" },
        { "URI", "no-scheme" },
        { "URI", "https://example.com/with space" },
        { "URI-reference", "has space" },
        { "URI-reference", "https://bücher.example/" },
        { "URI-reference", string.Empty },
        { "URI-reference", "a{b}" },
    };

    [Theory]
    [MemberData(nameof(CanonicalForms))]
    public void Canonical_string_forms_parse_and_format_back_unchanged(string typeName, string text)
    {
        var type = TypeNamed(typeName);

        var value = type.Parse(text);

        Assert.IsAssignableFrom(type.ClrType, value);
        Assert.Equal(text, type.Format(value));
    }

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public void Values_outside_a_type_are_refused_with_an_exception_naming_the_attribute(string typeName, string text)
    {
        var attribute = CloudEventAttribute.CreateExtension("probe", TypeNamed(typeName));

        var error = Assert.Throws<InvalidCloudEventException>(() => attribute.Parse(text));

        Assert.Equal("probe", error.AttributeName);
        Assert.Contains("'probe'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_with_an_unpaired_surrogate_are_refused()
    {
        // Kept out of theory data: xunit's serialisation would replace the lone surrogate.
        var attribute = CloudEventAttribute.CreateExtension("probe", CloudEventAttributeType.String);

        Assert.Equal("probe", Assert.Throws<InvalidCloudEventException>(() => attribute.Parse("lone \uD800 surrogate")).AttributeName);
        Assert.Equal("probe", Assert.Throws<InvalidCloudEventException>(() => attribute.Validate("\uDC00 first")).AttributeName);
        Assert.Equal("paired \uD83D\uDE00", attribute.Validate("paired \uD83D\uDE00"));
    }

    [Fact]
    public void A_value_of_the_wrong_CLR_type_is_refused()
    {
        var attribute = CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer);

        var error = Assert.Throws<InvalidCloudEventException>(() => attribute.Validate("42"));

        Assert.Equal("count", error.AttributeName);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uri_values_format_as_written_not_as_System_Uri_unescapes_them()
    {
        var uri = new Uri("https://example.com/a%20b?x=%2F", UriKind.Absolute);

        Assert.Equal("https://example.com/a%20b?x=%2F", CloudEventAttributeType.Uri.Format(uri));
    }

    [Fact]
    public void Timestamps_format_in_UTC_as_Z_and_drop_zero_fractions()
    {
        Assert.Equal("2026-11-21T17:30:00Z", CloudEventAttributeType.Timestamp.Format(new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.Zero)));
        Assert.Equal(
            "2026-11-21T17:30:00.5-03:00",
            CloudEventAttributeType.Timestamp.Format(new DateTimeOffset(2026, 11, 21, 17, 30, 0, 500, TimeSpan.FromHours(-3))));
    }

    [Theory]
    [InlineData("2026-11-21t17:30:00z", "2026-11-21T17:30:00Z")]
    [InlineData("2026-11-21T17:30:00.123456789Z", "2026-11-21T17:30:00.1234567Z")]
    [InlineData("2026-11-21T17:30:00.100+00:00", "2026-11-21T17:30:00.1Z")]
    [InlineData("2026-11-21T17:30:00-00:30", "2026-11-21T17:30:00-00:30")]
    public void Timestamps_accept_every_RFC_3339_spelling(string text, string canonical)
    {
        var type = CloudEventAttributeType.Timestamp;

        Assert.Equal(canonical, type.Format(type.Parse(text)));
    }

    private static CloudEventAttributeType TypeNamed(string name) =>
        new[]
        {
            CloudEventAttributeType.String, CloudEventAttributeType.Integer, CloudEventAttributeType.Boolean,
            CloudEventAttributeType.Binary, CloudEventAttributeType.Timestamp, CloudEventAttributeType.Uri,
            CloudEventAttributeType.UriReference,
        }.Single(t => t.Name == name);
}
