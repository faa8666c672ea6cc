using RocketMqSource.RocketMq.Protocol;
using Rules = RocketMqSource.RocketMq.MessageValidator;
using ValidationError = RocketMqSource.RocketMq.ValidationError;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// The proxy's checks on names and on messages to send, with its status codes. The rules are the
/// client library's (one definition for both sides); this adapts them to wire messages.
/// </summary>
internal static class MessageValidator
{
    public const int MaxBodySize = Rules.DefaultMaxBodySize;

    public static string Topic(Resource? resource)
    {
        var name = resource?.Name ?? string.Empty;
        ThrowIfInvalid(Rules.ValidateTopic(name));
        return name;
    }

    public static string Group(Resource? resource)
    {
        var name = resource?.Name ?? string.Empty;
        ThrowIfInvalid(Rules.ValidateConsumerGroup(name));
        return name;
    }

    /// <summary>Checks one message; returns its type (explicit, or inferred from its properties).</summary>
    public static MessageType Message(Message message, DateTimeOffset now)
    {
        var system = message.SystemProperties ?? throw new ProxyException(Code.MessageCorrupted, "message has no system properties");
        ThrowIfInvalid(Rules.ValidateBodyLength(message.Body.Length, MaxBodySize)
            ?? Rules.ValidateTag(system.HasTag ? system.Tag : null)
            ?? Rules.ValidateKeys(system.Keys)
            ?? Rules.ValidateMessageGroup(system.HasMessageGroup ? system.MessageGroup : null)
            ?? Rules.ValidateProperties(message.UserProperties)
            ?? Rules.ValidateDeliveryHorizon(system.DeliveryTimestamp?.ToDateTimeOffset(), now));
        return TypeOf(system);
    }

    public static MessageType TypeOf(SystemProperties system) => system.MessageType switch
    {
        MessageType.Unspecified when system.HasMessageGroup => MessageType.Fifo,
        MessageType.Unspecified when system.DeliveryTimestamp is not null => MessageType.Delay,
        MessageType.Unspecified => MessageType.Normal,
        var explicitType => explicitType,
    };

    private static void ThrowIfInvalid(ValidationError? error)
    {
        if (error is not null)
        {
            throw new ProxyException(error.Code, error.Reason);
        }
    }
}
