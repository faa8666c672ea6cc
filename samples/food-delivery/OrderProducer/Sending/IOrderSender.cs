using FoodDelivery.OrderProducer.Messages;

namespace FoodDelivery.OrderProducer.Sending;

/// <summary>Sends one message and returns its RocketMQ message id.</summary>
internal interface IOrderSender : IAsyncDisposable
{
    Task<string> SendAsync(OrderMessage message, CancellationToken cancellationToken);
}
