namespace RocketMqSource.CloudEvents;

/// <summary>How a protocol binding carries an event (CloudEvents 1.0 "content modes").</summary>
public enum ContentMode
{
    /// <summary>The whole event, attributes and data, is one event-format document in the body.</summary>
    Structured,

    /// <summary>Attributes travel as protocol metadata (headers, properties); the body is the data.</summary>
    Binary,
}
