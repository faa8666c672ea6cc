using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Samples.Tests.OrderProducer;

/// <summary>One in-memory RocketMQ proxy for the tests of a class; each test uses its own topic.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public RocketMqEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions
    {
        Listen = "127.0.0.1:0",
        MinLongPollingTimeout = TimeSpan.FromSeconds(1),
        MinInvisibleDuration = TimeSpan.FromSeconds(1),
    });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>A consumer of the whole topic, subscribed before anything is sent.</summary>
    public Task<SimpleConsumer> ConsumerAsync(string topic, string group) =>
        new SimpleConsumer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(Emulator.Endpoint).EnableSsl(false).SetRequestTimeout(TimeSpan.FromSeconds(15)).Build())
            .SetConsumerGroup(group)
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [topic] = FilterExpression.SubAll })
            .BuildAsync();

    /// <summary>Receives and acks until <paramref name="count"/> messages arrived (or 30 s passed).</summary>
    public static async Task<List<MessageView>> ReceiveAsync(SimpleConsumer consumer, int count)
    {
        var received = new List<MessageView>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count < count)
        {
            var batch = await consumer.ReceiveAsync(16, TimeSpan.FromSeconds(30), timeout.Token);
            foreach (var message in batch)
            {
                await consumer.AckAsync(message, timeout.Token);
                received.Add(message);
            }
        }

        return received;
    }
}
