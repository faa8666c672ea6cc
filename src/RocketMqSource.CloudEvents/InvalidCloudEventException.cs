namespace RocketMqSource.CloudEvents;

/// <summary>
/// A CloudEvent, an attribute value or a message carrying an event breaks the CloudEvents
/// specification. Receivers answer it with 400 Bad Request. Derives from ArgumentException, which is
/// what the official C# SDK throws for the same conditions.
/// </summary>
public sealed class InvalidCloudEventException : ArgumentException
{
    public InvalidCloudEventException(string message)
        : base(message)
    {
    }

    public InvalidCloudEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidCloudEventException(string? attributeName, string message, Exception? innerException = null)
        : base(attributeName is null ? message : $"Attribute '{attributeName}': {message}", innerException)
    {
        AttributeName = attributeName;
    }

    public InvalidCloudEventException()
    {
    }

    /// <summary>The offending attribute, when one attribute is to blame.</summary>
    public string? AttributeName { get; }
}
