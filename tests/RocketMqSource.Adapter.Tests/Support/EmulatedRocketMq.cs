using System.Collections.Concurrent;
using System.Text;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// An in-process RocketMQ emulator on a free loopback port, with the proxy's 10 s invisible / 5 s
/// long-poll minimums lowered to 1 s (the only deviation from its defaults), and a producer for it.
/// </summary>
internal sealed class EmulatedRocketMq : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Producer>>> producers = new(StringComparer.Ordinal);

    private readonly RocketMqEmulatorOptions options;

    private EmulatedRocketMq(RocketMqEmulator emulator, RocketMqEmulatorOptions options)
    {
        Emulator = emulator;
        this.options = options;
    }

    public RocketMqEmulator Emulator { get; }

    public string Endpoint => Emulator.Endpoint;

    public static async Task<EmulatedRocketMq> StartAsync(Action<RocketMqEmulatorOptions>? configure = null)
    {
        var options = new RocketMqEmulatorOptions
        {
            Listen = "127.0.0.1:0",
            MinInvisibleDuration = TimeSpan.FromSeconds(1),
            MinLongPollingTimeout = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return new EmulatedRocketMq(await RocketMqEmulator.StartAsync(options), options);
    }

    /// <summary>A client config for this emulator, signing requests when the emulator checks signatures.</summary>
    public ClientConfig ClientConfig()
    {
        // Generous: the first call also connects and JIT-compiles, and test machines are shared.
        var builder = new ClientConfig.Builder().SetEndpoints(Endpoint).EnableSsl(false).SetRequestTimeout(TimeSpan.FromSeconds(15));
        if (options.AccessKey is { } accessKey && options.SecretKey is { } secretKey)
        {
            builder.SetCredentialsProvider(new StaticSessionCredentialsProvider(accessKey, secretKey));
        }

        return builder.Build();
    }

    public ConsumerGroupStats Stats(string group, string topic) => Emulator.GetGroupStats(group, topic);

    public long Stored(string topic) => Emulator.GetTopicStats().SingleOrDefault(t => t.Topic == topic)?.Stored ?? 0;

    public async Task<string> SendAsync(Message message) => (await (await ProducerFor(message.Topic)).SendAsync(message)).MessageId;

    /// <summary>Sends <paramref name="count"/> messages (several at a time); returns their ids in index order.</summary>
    public async Task<string[]> SendManyAsync(int count, Func<int, Message> make, int parallelism = 32)
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, token) =>
        {
            var message = make(i);
            var producer = await ProducerFor(message.Topic);
            ids[i] = (await producer.SendAsync(message, token)).MessageId;
        });
        return ids;
    }

    public static Message Order(string topic, int number, string? tag = null, string? group = null, params (string Key, string Value)[] properties)
    {
        var builder = new Message.Builder().SetTopic(topic).SetBody(Encoding.UTF8.GetBytes($"{{\"order\":{number}}}")).SetKeys($"order-{number}");
        if (tag is not null)
        {
            builder.SetTag(tag);
        }

        if (group is not null)
        {
            builder.SetMessageGroup(group);
        }

        foreach (var (key, value) in properties)
        {
            builder.AddProperty(key, value);
        }

        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var producer in producers.Values)
        {
            await (await producer.Value).DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }

    private Task<Producer> ProducerFor(string topic) =>
        producers.GetOrAdd(topic, t => new Lazy<Task<Producer>>(() =>
            new Producer.Builder().SetClientConfig(ClientConfig()).SetTopics(t).BuildAsync())).Value;
}
