namespace RocketMqSource.CloudEvents.Tests.Model;

public class CloudEventTests
{
    [Theory]
    [InlineData("id")]
    [InlineData("source")]
    [InlineData("type")]
    public void Validate_names_the_missing_required_attribute(string missing)
    {
        var cloudEvent = Complete();
        cloudEvent[missing] = null;

        var error = Assert.Throws<InvalidCloudEventException>(() => cloudEvent.Validate());

        Assert.Equal(missing, error.AttributeName);
        Assert.False(cloudEvent.IsValid);
    }

    [Fact]
    public void A_complete_event_is_valid_and_reports_specversion_1_0()
    {
        var cloudEvent = Complete();

        Assert.Same(cloudEvent, cloudEvent.Validate());
        Assert.True(cloudEvent.IsValid);
        Assert.Equal("1.0", cloudEvent["specversion"]);
        Assert.Equal("specversion", cloudEvent.GetPopulatedAttributes().First().Key.Name);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("with_underscore")]
    [InlineData("with-dash")]
    [InlineData("ünicode")]
    [InlineData("")]
    public void Extension_names_must_be_lower_case_ASCII_letters_and_digits(string name)
    {
        var error = Assert.Throws<InvalidCloudEventException>(() => CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String));

        Assert.Equal(name, error.AttributeName);
        Assert.Contains("lower-case", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("id")]
    [InlineData("datacontenttype")]
    public void Extension_names_must_not_reuse_reserved_names(string name)
    {
        var error = Assert.Throws<InvalidCloudEventException>(() => CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String));

        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_longer_than_the_recommended_20_characters_are_accepted_because_the_limit_is_a_SHOULD()
    {
        var name = "rocketmqheaderorderpriority";
        Assert.True(name.Length > 20);

        var cloudEvent = Complete();
        cloudEvent[name] = "high";

        Assert.Equal("high", cloudEvent[name]);
    }

    [Fact]
    public void Setting_an_unknown_name_declares_an_extension_typed_by_the_CLR_value()
    {
        var cloudEvent = Complete();
        cloudEvent["count"] = 3;
        cloudEvent["urgent"] = true;
        cloudEvent["signature"] = new byte[] { 1 };
        cloudEvent["deadline"] = DateTimeOffset.UnixEpoch;
        cloudEvent["callback"] = new Uri("https://example.com");
        cloudEvent["parent"] = new Uri("/parent", UriKind.Relative);

        var types = cloudEvent.ExtensionAttributes.ToDictionary(a => a.Name, a => a.Type);
        Assert.Equal(CloudEventAttributeType.Integer, types["count"]);
        Assert.Equal(CloudEventAttributeType.Boolean, types["urgent"]);
        Assert.Equal(CloudEventAttributeType.Binary, types["signature"]);
        Assert.Equal(CloudEventAttributeType.Timestamp, types["deadline"]);
        Assert.Equal(CloudEventAttributeType.Uri, types["callback"]);
        Assert.Equal(CloudEventAttributeType.UriReference, types["parent"]);
    }

    [Fact]
    public void A_value_without_a_CloudEvents_type_is_refused()
    {
        var error = Assert.Throws<InvalidCloudEventException>(() => Complete()["amount"] = 1.5m);

        Assert.Equal("amount", error.AttributeName);
    }

    [Fact]
    public void A_declared_extension_keeps_its_type()
    {
        var count = CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer);
        var cloudEvent = new CloudEvent([count]);

        Assert.Throws<InvalidCloudEventException>(() => cloudEvent["count"] = "three");
        cloudEvent.SetAttributeFromString("count", "3");
        Assert.Equal(3, cloudEvent[count]);
        Assert.Throws<InvalidCloudEventException>(() => cloudEvent[CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.String)] = "x");
    }

    [Fact]
    public void Unknown_names_set_from_strings_become_String_extensions()
    {
        var cloudEvent = Complete();

        cloudEvent.SetAttributeFromString("rocketmqtopic", "orders");

        Assert.Equal(CloudEventAttributeType.String, cloudEvent.GetAttribute("rocketmqtopic")!.Type);
    }

    [Fact]
    public void Setting_null_removes_an_attribute()
    {
        var cloudEvent = Complete();
        cloudEvent.Subject = "s";

        cloudEvent.Subject = null;

        Assert.DoesNotContain(cloudEvent.GetPopulatedAttributes(), a => a.Key.Name == "subject");
    }

    [Fact]
    public void Specversion_is_fixed_and_only_1_0_is_understood()
    {
        var cloudEvent = Complete();

        Assert.Throws<InvalidCloudEventException>(() => cloudEvent[cloudEvent.SpecVersion.SpecVersionAttribute] = "1.0");
        var error = Assert.Throws<InvalidCloudEventException>(() => cloudEvent.SetAttributeFromString("specversion", "0.3"));
        Assert.Equal("specversion", error.AttributeName);
        cloudEvent.SetAttributeFromString("specversion", "1.0");
    }

    [Fact]
    public void Core_attribute_rules_apply_when_values_are_set()
    {
        var cloudEvent = Complete();

        Assert.Equal("id", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.Id = string.Empty).AttributeName);
        Assert.Equal("type", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.Type = string.Empty).AttributeName);
        Assert.Equal("subject", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.Subject = string.Empty).AttributeName);
        Assert.Equal("datacontenttype", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.DataContentType = "json").AttributeName);
        Assert.Equal("dataschema", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.DataSchema = new Uri("/schema", UriKind.Relative)).AttributeName);
        Assert.Equal("id", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.Id = "tab\there").AttributeName);
    }

    [Fact]
    public void The_indexer_is_the_same_storage_as_the_properties()
    {
        var cloudEvent = Complete();
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        cloudEvent["time"] = time;

        Assert.Equal(time, cloudEvent.Time);
        Assert.Equal("order-1", cloudEvent[cloudEvent.SpecVersion.IdAttribute]);
    }

    internal static CloudEvent Complete() => new()
    {
        Id = "order-1",
        Source = new Uri("/apis/v1/namespaces/default/rocketmqsources/orders#orders", UriKind.Relative),
        Type = "dev.knative.rocketmq.event",
    };
}
