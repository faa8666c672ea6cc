using System.Text;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>The proxy's checks on names and on messages to send, with its status codes.</summary>
internal static class MessageValidator
{
    public const int MaxBodySize = 4 * 1024 * 1024;
    public const int MaxTopicLength = 127;
    public const int MaxGroupLength = 255;
    public const int MaxMessageGroupBytes = 64;
    public const int MaxPropertyCount = 128;
    public const int MaxPropertiesBytes = 16 * 1024;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    public static string Topic(Resource? resource)
    {
        var name = resource?.Name ?? string.Empty;
        if (!IsValidName(name, MaxTopicLength) || name.StartsWith("rmq_sys_", StringComparison.Ordinal))
        {
            throw new ProxyException(Code.IllegalTopic, $"topic name '{name}' is illegal");
        }

        return name;
    }

    public static string Group(Resource? resource)
    {
        var name = resource?.Name ?? string.Empty;
        if (!IsValidName(name, MaxGroupLength))
        {
            throw new ProxyException(Code.IllegalConsumerGroup, $"consumer group '{name}' is illegal");
        }

        return name;
    }

    /// <summary>Checks one message; returns its type (explicit, or inferred from its properties).</summary>
    public static MessageType Message(Message message, DateTimeOffset now)
    {
        var system = message.SystemProperties ?? throw new ProxyException(Code.MessageCorrupted, "message has no system properties");
        if (message.Body.IsEmpty)
        {
            throw new ProxyException(Code.MessageBodyEmpty, "message body is empty");
        }

        if (message.Body.Length > MaxBodySize)
        {
            throw new ProxyException(Code.MessageBodyTooLarge, $"message body exceeds {MaxBodySize} bytes");
        }

        if (system.HasTag && (string.IsNullOrWhiteSpace(system.Tag) || system.Tag.Contains('|', StringComparison.Ordinal)))
        {
            throw new ProxyException(Code.IllegalMessageTag, "message tag is blank or contains '|'");
        }

        if (system.Keys.Any(string.IsNullOrWhiteSpace))
        {
            throw new ProxyException(Code.IllegalMessageKey, "message key is blank");
        }

        if (system.HasMessageGroup
            && (string.IsNullOrWhiteSpace(system.MessageGroup) || System.Text.Encoding.UTF8.GetByteCount(system.MessageGroup) >= MaxMessageGroupBytes))
        {
            throw new ProxyException(Code.IllegalMessageGroup, "message group is blank or too long");
        }

        CheckProperties(message.UserProperties);

        if (system.DeliveryTimestamp is { } due && due.ToDateTimeOffset() - now > MaxDelay)
        {
            throw new ProxyException(Code.IllegalDeliveryTime, "delivery time is more than one day ahead");
        }

        return TypeOf(system);
    }

    public static MessageType TypeOf(SystemProperties system) => system.MessageType switch
    {
        MessageType.Unspecified when system.HasMessageGroup => MessageType.Fifo,
        MessageType.Unspecified when system.DeliveryTimestamp is not null => MessageType.Delay,
        MessageType.Unspecified => MessageType.Normal,
        var explicitType => explicitType,
    };

    private static void CheckProperties(IDictionary<string, string> properties)
    {
        if (properties.Count > MaxPropertyCount)
        {
            throw new ProxyException(Code.MessagePropertiesTooLarge, $"more than {MaxPropertyCount} user properties");
        }

        var size = 0;
        foreach (var (key, value) in properties)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ProxyException(Code.IllegalMessagePropertyKey, "user property key is blank");
            }

            size += System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value);
        }

        if (size > MaxPropertiesBytes)
        {
            throw new ProxyException(Code.MessagePropertiesTooLarge, $"user properties exceed {MaxPropertiesBytes} bytes");
        }
    }

    private static bool IsValidName(string name, int maxLength) =>
        name.Length > 0 && name.Length <= maxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '%' or '|' or '_' or '-');
}
