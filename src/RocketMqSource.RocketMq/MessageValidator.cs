using System.Text;
using Encoding = System.Text.Encoding;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq;

/// <summary>A rule a message or resource name breaks, with the code the proxy would answer.</summary>
internal sealed record ValidationError(Code Code, string Reason)
{
    public ClientException ToException() => StatusMapper.ToException(Code, Reason);
}

/// <summary>
/// The proxy's validation rules (pure): the client applies them before any RPC, and the emulator
/// applies the same ones to what it receives, so both answer with the same codes.
/// </summary>
internal static class MessageValidator
{
    public const int DefaultMaxBodySize = 4 * 1024 * 1024;
    public const int MaxTopicLength = 127;
    public const int MaxConsumerGroupLength = 255;
    public const int MaxMessageGroupBytes = 64;
    public const int MaxPropertyCount = 128;
    public const int MaxPropertiesBytes = 16 * 1024;
    public static readonly TimeSpan MaxDeliveryDelay = TimeSpan.FromDays(1);
    private const string SystemTopicPrefix = "rmq_sys_";

    public static ValidationError? ValidateTopic(string? topic)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return new(Code.IllegalTopic, "topic is blank");
        }

        if (topic.Length > MaxTopicLength)
        {
            return new(Code.IllegalTopic, $"topic '{topic}' is longer than {MaxTopicLength} characters");
        }

        if (!IsResourceName(topic))
        {
            return new(Code.IllegalTopic, $"topic '{topic}' may only contain letters, digits, '%', '|', '_' and '-'");
        }

        return topic.StartsWith(SystemTopicPrefix, StringComparison.Ordinal)
            ? new(Code.IllegalTopic, $"topic '{topic}' is a reserved system topic")
            : null;
    }

    public static ValidationError? ValidateConsumerGroup(string? group)
    {
        if (string.IsNullOrWhiteSpace(group))
        {
            return new(Code.IllegalConsumerGroup, "consumer group is blank");
        }

        if (group.Length > MaxConsumerGroupLength)
        {
            return new(Code.IllegalConsumerGroup, $"consumer group '{group}' is longer than {MaxConsumerGroupLength} characters");
        }

        return IsResourceName(group)
            ? null
            : new(Code.IllegalConsumerGroup, $"consumer group '{group}' may only contain letters, digits, '%', '|', '_' and '-'");
    }

    /// <summary>
    /// Everything the proxy checks on SendMessage. <paramref name="now"/> is only used for the
    /// delivery-time horizon.
    /// </summary>
    public static ValidationError? ValidateMessage(Message message, int maxBodySize, DateTimeOffset now) =>
        ValidateTopic(message.Topic)
        ?? ValidateBody(message.Body, maxBodySize)
        ?? ValidateTag(message.Tag)
        ?? ValidateKeys(message.Keys)
        ?? ValidateMessageGroup(message.MessageGroup)
        ?? ValidateProperties(message.Properties)
        ?? ValidateDeliveryTime(message, now);

    public static ValidationError? ValidateBody(byte[] body, int maxBodySize) => ValidateBodyLength(body.Length, maxBodySize);

    public static ValidationError? ValidateBodyLength(int length, int maxBodySize)
    {
        if (length == 0)
        {
            return new(Code.MessageBodyEmpty, "message body is empty");
        }

        return length > maxBodySize
            ? new(Code.MessageBodyTooLarge, $"message body of {length} bytes exceeds the limit of {maxBodySize} bytes")
            : null;
    }

    public static ValidationError? ValidateTag(string? tag)
    {
        if (tag is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(tag))
        {
            return new(Code.IllegalMessageTag, "tag is blank");
        }

        return tag.Contains('|', StringComparison.Ordinal)
            ? new(Code.IllegalMessageTag, $"tag '{tag}' contains '|'")
            : null;
    }

    public static ValidationError? ValidateKeys(IEnumerable<string> keys) =>
        keys.Any(string.IsNullOrWhiteSpace) ? new(Code.IllegalMessageKey, "message key is blank") : null;

    public static ValidationError? ValidateMessageGroup(string? group)
    {
        if (group is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(group))
        {
            return new(Code.IllegalMessageGroup, "message group is blank");
        }

        return Encoding.UTF8.GetByteCount(group) >= MaxMessageGroupBytes
            ? new(Code.IllegalMessageGroup, $"message group must be shorter than {MaxMessageGroupBytes} bytes")
            : null;
    }

    public static ValidationError? ValidateProperties(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Keys.Any(string.IsNullOrWhiteSpace))
        {
            return new(Code.IllegalMessagePropertyKey, "property key is blank");
        }

        if (properties.Count > MaxPropertyCount)
        {
            return new(Code.MessagePropertiesTooLarge, $"{properties.Count} properties exceed the limit of {MaxPropertyCount}");
        }

        var bytes = properties.Sum(p => Encoding.UTF8.GetByteCount(p.Key) + Encoding.UTF8.GetByteCount(p.Value));
        return bytes > MaxPropertiesBytes
            ? new(Code.MessagePropertiesTooLarge, $"properties of {bytes} bytes exceed the limit of {MaxPropertiesBytes} bytes")
            : null;
    }

    public static ValidationError? ValidateDeliveryTime(Message message, DateTimeOffset now)
    {
        if (message.DeliveryTimestamp is not { } delivery)
        {
            return null;
        }

        if (message.MessageGroup is not null)
        {
            return new(Code.MessagePropertyConflictWithType, "a message cannot have both a message group and a delivery time");
        }

        return ValidateDeliveryHorizon(new DateTimeOffset(delivery.ToUniversalTime(), TimeSpan.Zero), now);
    }

    /// <summary>A delayed message may be due at most <see cref="MaxDeliveryDelay"/> after <paramref name="now"/>.</summary>
    public static ValidationError? ValidateDeliveryHorizon(DateTimeOffset? delivery, DateTimeOffset now) =>
        delivery - now > MaxDeliveryDelay
            ? new(Code.IllegalDeliveryTime, $"delivery time is more than {MaxDeliveryDelay.TotalHours:0} hours ahead")
            : null;

    private static bool IsResourceName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '%' or '|' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
