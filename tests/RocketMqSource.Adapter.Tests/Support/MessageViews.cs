using System.Reflection;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// Builds <see cref="MessageView"/>s as our RocketMQ client does when it receives, for the fake
/// message source and converter tests. Like the official client's, the view's constructor is
/// internal to the client; it is called by parameter name, so a reordered or extended constructor
/// still works and a renamed field fails here, loudly.
/// </summary>
internal static class MessageViews
{
    public static readonly DateTimeOffset Born = new(2026, 11, 21, 12, 30, 15, 123, TimeSpan.Zero);

    private static readonly ConstructorInfo Constructor =
        typeof(MessageView).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single();

    public static MessageView Create(
        string messageId,
        byte[] body,
        string topic = "orders",
        string? tag = null,
        IReadOnlyList<string>? keys = null,
        IReadOnlyDictionary<string, string>? properties = null,
        string? messageGroup = null,
        int deliveryAttempt = 1,
        string? receiptHandle = null,
        DateTimeOffset? bornTime = null,
        string? traceContext = null)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messageId"] = messageId,
            ["topic"] = topic,
            ["body"] = body,
            ["tag"] = tag,
            ["keys"] = keys ?? [],
            ["properties"] = properties ?? new Dictionary<string, string>(),
            ["messageGroup"] = messageGroup,
            ["bornHost"] = "127.0.0.1",
            ["bornTime"] = (bornTime ?? Born).UtcDateTime,
            ["deliveryAttempt"] = deliveryAttempt,
            ["receiptHandle"] = receiptHandle ?? $"{messageId}@{deliveryAttempt}",
            ["traceContext"] = traceContext,
        };
        var arguments = Constructor.GetParameters()
            .Select(p => values.TryGetValue(p.Name!, out var value) ? value : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)
            .ToArray();
        return (MessageView)Constructor.Invoke(arguments);
    }
}
