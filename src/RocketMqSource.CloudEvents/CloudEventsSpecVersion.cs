using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents;

/// <summary>A version of the CloudEvents specification and its core attributes. Only 1.0 exists today.</summary>
public sealed class CloudEventsSpecVersion
{
    /// <summary>CloudEvents 1.0 (this library follows the 1.0.2 text).</summary>
    public static readonly CloudEventsSpecVersion V1_0 = new("1.0");

    private readonly Dictionary<string, CloudEventAttribute> _attributesByName;

    private CloudEventsSpecVersion(string versionId)
    {
        VersionId = versionId;
        SpecVersionAttribute = CloudEventAttribute.CreateCore("specversion", CloudEventAttributeType.String, isRequired: true);
        IdAttribute = CloudEventAttribute.CreateCore("id", CloudEventAttributeType.String, isRequired: true, NonEmpty);
        SourceAttribute = CloudEventAttribute.CreateCore("source", CloudEventAttributeType.UriReference, isRequired: true);
        TypeAttribute = CloudEventAttribute.CreateCore("type", CloudEventAttributeType.String, isRequired: true, NonEmpty);
        DataContentTypeAttribute = CloudEventAttribute.CreateCore(
            "datacontenttype", CloudEventAttributeType.String, isRequired: false, v => MediaTypes.Validate((string)v));
        DataSchemaAttribute = CloudEventAttribute.CreateCore("dataschema", CloudEventAttributeType.Uri, isRequired: false);
        SubjectAttribute = CloudEventAttribute.CreateCore("subject", CloudEventAttributeType.String, isRequired: false, NonEmpty);
        TimeAttribute = CloudEventAttribute.CreateCore("time", CloudEventAttributeType.Timestamp, isRequired: false);
        AllAttributes =
        [
            SpecVersionAttribute, IdAttribute, SourceAttribute, TypeAttribute,
            DataContentTypeAttribute, DataSchemaAttribute, SubjectAttribute, TimeAttribute,
        ];
        RequiredAttributes = [.. AllAttributes.Where(a => a.IsRequired)];
        OptionalAttributes = [.. AllAttributes.Where(a => !a.IsRequired)];
        _attributesByName = AllAttributes.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The value of the specversion attribute, e.g. "1.0".</summary>
    public string VersionId { get; }

    public CloudEventAttribute SpecVersionAttribute { get; }

    public CloudEventAttribute IdAttribute { get; }

    public CloudEventAttribute SourceAttribute { get; }

    public CloudEventAttribute TypeAttribute { get; }

    public CloudEventAttribute DataContentTypeAttribute { get; }

    public CloudEventAttribute DataSchemaAttribute { get; }

    public CloudEventAttribute SubjectAttribute { get; }

    public CloudEventAttribute TimeAttribute { get; }

    public IReadOnlyList<CloudEventAttribute> AllAttributes { get; }

    public IReadOnlyList<CloudEventAttribute> RequiredAttributes { get; }

    public IReadOnlyList<CloudEventAttribute> OptionalAttributes { get; }

    /// <summary>The version with this specversion value, or null when this library does not know it.</summary>
    public static CloudEventsSpecVersion? FromVersionId(string? versionId) => versionId == V1_0.VersionId ? V1_0 : null;

    /// <summary>The core attribute with this name, or null.</summary>
    public CloudEventAttribute? GetAttributeByName(string name) => _attributesByName.GetValueOrDefault(name);

    public override string ToString() => VersionId;

    private static string? NonEmpty(object value) => ((string)value).Length == 0 ? "must be a non-empty string" : null;
}
