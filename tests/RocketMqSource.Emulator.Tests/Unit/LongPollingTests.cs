using Google.Protobuf.WellKnownTypes;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Tests.Unit;

/// <summary>Long polling on the real clock: a waiting receive is woken by a send, not by polling.</summary>
public class LongPollingTests
{
    private static readonly CallContext Client = new("client");

    private static (ProxyService Service, ReceiveMessageRequest Request) Start(TimeSpan polling)
    {
        var options = new RocketMqEmulatorOptions { MinLongPollingTimeout = TimeSpan.FromMilliseconds(100) };
        var service = new ProxyService(options, new EmulatedBroker(8, TimeProvider.System));
        service.Telemetry(Client, new TelemetryCommand
        {
            Settings = new Settings { ClientType = ClientType.SimpleConsumer, Subscription = new Subscription { Group = Wire.Resource("g") } },
        });
        service.QueryRoute(Client, new QueryRouteRequest { Topic = Wire.Resource("orders") });
        var request = new ReceiveMessageRequest
        {
            Group = Wire.Resource("g"),
            MessageQueue = new MessageQueue { Topic = Wire.Resource("orders") },
            BatchSize = 8,
            InvisibleDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
            LongPollingTimeout = Duration.FromTimeSpan(polling),
        };
        return (service, request);
    }

    [Fact]
    public async Task A_send_completes_a_waiting_receive_long_before_its_polling_time()
    {
        var (service, request) = Start(TimeSpan.FromSeconds(20));
        var receive = service.ReceiveMessageAsync(Client, request, CancellationToken.None);
        Assert.False(receive.IsCompleted);

        service.SendMessage(Client, new SendMessageRequest { Messages = { Wire.Message("orders", "wake up") } });

        var responses = await receive.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Code.Ok, responses[0].Status.Code);
        Assert.Equal("wake up", responses[1].Message.Body.ToStringUtf8());
    }

    [Fact]
    public async Task An_empty_poll_ends_with_message_not_found()
    {
        var (service, request) = Start(TimeSpan.FromMilliseconds(200));

        var responses = await service.ReceiveMessageAsync(Client, request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Code.MessageNotFound, responses[0].Status.Code);
        Assert.Equal("no new message", responses[0].Status.Message);
        Assert.Equal(ReceiveMessageResponse.ContentOneofCase.DeliveryTimestamp, responses[1].ContentCase);
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_polling_time_ends_the_poll_before_it()
    {
        var (service, request) = Start(TimeSpan.FromSeconds(20));
        var deadline = DateTimeOffset.UtcNow.AddSeconds(1.5);

        // Without the deadline the poll would last 20 s; the 10 s bound proves it was cut to the deadline.
        var responses = await service.ReceiveMessageAsync(Client with { Deadline = deadline }, request, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Code.MessageNotFound, responses[0].Status.Code);
    }

    [Fact]
    public async Task A_cancelled_poll_pops_nothing()
    {
        var (service, request) = Start(TimeSpan.FromSeconds(20));
        using var caller = new CancellationTokenSource();
        var receive = service.ReceiveMessageAsync(Client, request, caller.Token);

        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(TimeSpan.FromSeconds(10)));
        service.SendMessage(Client, new SendMessageRequest { Messages = { Wire.Message("orders", "kept") } });

        Assert.Equal(new ConsumerGroupStats("g", "orders", 1, 0, 0, 0), service.Broker.Stats("g", "orders"));
    }
}
