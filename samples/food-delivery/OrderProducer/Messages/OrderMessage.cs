namespace FoodDelivery.OrderProducer.Messages;

/// <summary>Everything of a RocketMQ message the producer sets, independent of the client library.</summary>
internal sealed record OrderMessage(
    string OrderId,
    string Topic,
    string Tag,
    IReadOnlyList<string> Keys,
    IReadOnlyDictionary<string, string> Properties,
    byte[] Body);
