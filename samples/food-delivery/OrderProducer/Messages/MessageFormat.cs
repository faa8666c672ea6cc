namespace FoodDelivery.OrderProducer.Messages;

/// <summary>How an order travels in its RocketMQ message.</summary>
public enum MessageFormat
{
    /// <summary>The order JSON as the body; the source turns the message into a dev.knative.rocketmq.event.</summary>
    Json,

    /// <summary>A CloudEvent under the RocketMQ binding (CE_ properties); the source forwards it unchanged.</summary>
    CloudEvents,
}
