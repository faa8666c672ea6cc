namespace RocketMqSource.CloudEvents;

/// <summary>
/// An event format (CloudEvents "Event Formats"): how a whole event, a batch of events, or the data
/// of a binary-mode event becomes bytes and back. Content types are plain media-type strings.
/// </summary>
public abstract class CloudEventFormatter
{
    /// <summary>Encodes a whole event for structured mode; returns the body and its content type.</summary>
    public abstract ReadOnlyMemory<byte> EncodeStructuredModeMessage(CloudEvent cloudEvent, out string contentType);

    /// <summary>Decodes a structured-mode body. Throws <see cref="InvalidCloudEventException"/> when malformed.</summary>
    public abstract CloudEvent DecodeStructuredModeMessage(
        ReadOnlyMemory<byte> body, string? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes);

    /// <summary>Encodes a batch of events; returns the body and its content type.</summary>
    public abstract ReadOnlyMemory<byte> EncodeBatchModeMessage(IEnumerable<CloudEvent> cloudEvents, out string contentType);

    /// <summary>Decodes a batch body. Throws <see cref="InvalidCloudEventException"/> when malformed.</summary>
    public abstract IReadOnlyList<CloudEvent> DecodeBatchModeMessage(
        ReadOnlyMemory<byte> body, string? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes);

    /// <summary>The body of a binary-mode message: the event's data as bytes (not copied when already bytes).</summary>
    public abstract ReadOnlyMemory<byte> EncodeBinaryModeEventData(CloudEvent cloudEvent);

    /// <summary>Sets <see cref="CloudEvent.Data"/> from a binary-mode body, guided by the event's datacontenttype.</summary>
    public abstract void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent);
}
