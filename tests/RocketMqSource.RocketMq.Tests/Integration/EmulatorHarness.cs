using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Internal;

namespace RocketMqSource.RocketMq.Tests.Integration;

/// <summary>
/// One emulator on a free loopback port per test, with the proxy's 10 s / 5 s minimums lowered
/// to 1 s so expiry and empty polls stay quick, and our real clients (plaintext h2c) pointed at it.
/// </summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    /// <summary>Long enough that a test never sees a deadline; short enough that an empty poll ends soon.</summary>
    public static readonly TimeSpan ShortAwait = TimeSpan.FromSeconds(1);

    private readonly List<IAsyncDisposable> _clients = [];

    private EmulatorHarness(RocketMqEmulator emulator)
    {
        Emulator = emulator;
    }

    public RocketMqEmulator Emulator { get; }

    public static async Task<EmulatorHarness> StartAsync(Action<RocketMqEmulatorOptions>? configure = null)
    {
        var options = new RocketMqEmulatorOptions
        {
            Listen = "127.0.0.1:0",
            MinInvisibleDuration = TimeSpan.FromSeconds(1),
            MinLongPollingTimeout = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return new EmulatorHarness(await RocketMqEmulator.StartAsync(options));
    }

    public ClientConfig Config(ISessionCredentialsProvider? credentials = null)
    {
        var builder = new ClientConfig.Builder().SetEndpoints(Emulator.Endpoint).EnableSsl(false);
        if (credentials is not null)
        {
            builder.SetCredentialsProvider(credentials);
        }

        return builder.Build();
    }

    /// <summary>A started producer, disposed with the harness.</summary>
    public async Task<Producer> ProducerAsync(params string[] topics) => Track(await ProducerBuilder(topics).BuildAsync());

    public Producer.Builder ProducerBuilder(string[] topics, ISessionCredentialsProvider? credentials = null) =>
        new Producer.Builder().SetClientConfig(Config(credentials)).SetTopics(topics).SetTimings(ClientTimings.Default);

    /// <summary>A started simple consumer, disposed with the harness.</summary>
    public async Task<SimpleConsumer> ConsumerAsync(string group, string topic, FilterExpression? filter = null, TimeSpan? awaitDuration = null) =>
        Track(await ConsumerBuilder(group, topic, filter, awaitDuration).BuildAsync());

    /// <summary>A started producer and a started consumer group on one topic, disposed with the harness.</summary>
    public async Task<(Producer Producer, SimpleConsumer Consumer)> PairAsync(
        string topic, string group, FilterExpression? filter = null, TimeSpan? awaitDuration = null) =>
        (await ProducerAsync(topic), await ConsumerAsync(group, topic, filter, awaitDuration));

    public SimpleConsumer.Builder ConsumerBuilder(
        string group, string topic, FilterExpression? filter = null, TimeSpan? awaitDuration = null, ISessionCredentialsProvider? credentials = null) =>
        new SimpleConsumer.Builder()
            .SetClientConfig(Config(credentials))
            .SetConsumerGroup(group)
            .SetAwaitDuration(awaitDuration ?? ShortAwait)
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [topic] = filter ?? FilterExpression.SubAll });

    public T Track<T>(T client)
        where T : IAsyncDisposable
    {
        _clients.Add(client);
        return client;
    }

    /// <summary>Receives until <paramref name="count"/> messages arrived (each call long-polls), or fails after the timeout.</summary>
    public static async Task<List<MessageView>> ReceiveAtLeastAsync(
        SimpleConsumer consumer, int count, TimeSpan invisibleDuration, TimeSpan? timeout = null)
    {
        var received = new List<MessageView>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (received.Count < count)
        {
            received.AddRange(await consumer.ReceiveAsync(32, invisibleDuration, deadline.Token));
        }

        return received;
    }

    /// <summary>A copy of the view that carries another receipt handle (to present a stale one).</summary>
    public static MessageView WithHandle(MessageView view, string receiptHandle) => new(
        view.MessageId, view.Topic, view.Body, view.Tag, view.Keys, view.Properties, view.MessageGroup, view.DeliveryTimestamp,
        view.BornHost, view.BornTime, view.DeliveryAttempt, receiptHandle, view.Endpoint);

    public static Message Text(string topic, string body, Action<Message.Builder>? configure = null)
    {
        var builder = new Message.Builder().SetTopic(topic).SetBody(System.Text.Encoding.UTF8.GetBytes(body));
        configure?.Invoke(builder);
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            await _clients[i].DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }
}
