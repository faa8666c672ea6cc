using System.Collections.Concurrent;
using FoodDelivery.OrderService;
using Microsoft.AspNetCore.Builder;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.OrderService;

/// <summary>The order service on Kestrel at 127.0.0.1 (a free port), with what it logged and observed.</summary>
internal sealed class RunningOrderService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StringWriter _log = new();

    private RunningOrderService(WebApplication app, StringWriter log, ConcurrentQueue<AcceptedOrder> accepted, ManualClock clock)
    {
        _app = app;
        _log = log;
        Accepted = accepted;
        Clock = clock;
        BaseAddress = OrderServiceApp.GetBaseAddress(app);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public ConcurrentQueue<AcceptedOrder> Accepted { get; }

    public ManualClock Clock { get; }

    public IReadOnlyList<string> LogLines
    {
        get
        {
            lock (_log)
            {
                return _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
    }

    public static async Task<RunningOrderService> StartAsync(TimeSpan? promisedWithin = null)
    {
        var accepted = new ConcurrentQueue<AcceptedOrder>();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var log = new StringWriter();
        var app = OrderServiceApp.Build([], new OrderServiceOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            OnOrderAccepted = accepted.Enqueue,
            OrderLog = log,
            TimeProvider = clock,
            PromisedWithin = promisedWithin ?? TimeSpan.FromMinutes(30),
        });
        await app.StartAsync();
        return new RunningOrderService(app, log, accepted, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
