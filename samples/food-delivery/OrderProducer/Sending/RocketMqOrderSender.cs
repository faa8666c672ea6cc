using FoodDelivery.OrderProducer.Messages;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace FoodDelivery.OrderProducer.Sending;

/// <summary>Sends orders with our RocketMQ 5 client's Producer (gRPC to the proxy).</summary>
internal sealed class RocketMqOrderSender(Producer producer) : IOrderSender
{
    public static async Task<RocketMqOrderSender> ConnectAsync(ProducerOptions options, CancellationToken cancellationToken)
    {
        var config = new ClientConfig.Builder()
            .SetEndpoints(options.Endpoints)
            .EnableSsl(options.Tls)
            .SetNamespace(options.Namespace ?? string.Empty)
            .SetRequestTimeout(options.RequestTimeout);
        if (!string.IsNullOrEmpty(options.AccessKey))
        {
            config.SetCredentialsProvider(new StaticSessionCredentialsProvider(options.AccessKey, options.SecretKey ?? string.Empty));
        }

        var producer = await new Producer.Builder()
            .SetClientConfig(config.Build())
            .SetTopics(options.Topic)
            .BuildAsync(cancellationToken);
        return new RocketMqOrderSender(producer);
    }

    public async Task<string> SendAsync(OrderMessage message, CancellationToken cancellationToken)
    {
        var builder = new Message.Builder()
            .SetTopic(message.Topic)
            .SetBody(message.Body)
            .SetTag(message.Tag)
            .SetKeys([.. message.Keys]);
        foreach (var (key, value) in message.Properties)
        {
            builder.AddProperty(key, value);
        }

        var receipt = await producer.SendAsync(builder.Build(), cancellationToken);
        return receipt.MessageId;
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();
}
