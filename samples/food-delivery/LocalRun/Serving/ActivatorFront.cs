using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>What the front saw since the last scrape: requests that arrived, and the time-weighted average of requests in it.</summary>
internal readonly record struct FrontStat(int Requests, double AverageConcurrency);

/// <summary>
/// The order service's address, standing in for Knative's activator in the request path (as
/// with target-burst-capacity -1, it stays in the path): a request is forwarded to a ready
/// instance, or held — not refused — until one is ready, up to the revision's request timeout.
/// A request held while no instance is wanted pokes the autoscaler, as the activator's first
/// stat does (knative/serving pkg/activator/handler/concurrency_reporter.go, multiscaler.go Poke).
/// It counts requests and concurrency for the autoscaler's scrapes.
/// </summary>
internal sealed class ActivatorFront : IAsyncDisposable
{
    /// <summary>The order ksvc's timeoutSeconds (samples/food-delivery/config/400-order-service.yaml): a request held longer is answered 503.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Host",
    };

    private readonly WebApplication app;
    private readonly ServiceFleet fleet;
    private readonly HttpClient forwarder;
    private readonly Lock statGate = new();
    private int inFront;
    private int arrivals;
    private double concurrencyIntegral;
    private long lastChange = Stopwatch.GetTimestamp();
    private long lastScrape = Stopwatch.GetTimestamp();

    private ActivatorFront(WebApplication app, ServiceFleet fleet)
    {
        this.app = app;
        this.fleet = fleet;
        forwarder = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = RequestTimeout,
        };
    }

    /// <summary>Called when a request has to wait for an instance: the autoscaler may want to decide now.</summary>
    public event Action? Holding;

    public Uri Address { get; private set; } = null!;

    public static async Task<ActivatorFront> StartAsync(ServiceFleet fleet, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var front = new ActivatorFront(app, fleet);
        app.Run(front.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        front.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return front;
    }

    /// <summary>Cuts a stat: arrivals since the last one, and the average number of requests in the front over that time.</summary>
    public FrontStat TakeStat()
    {
        lock (statGate)
        {
            var now = Stopwatch.GetTimestamp();
            Accumulate(now);
            var span = Stopwatch.GetElapsedTime(lastScrape, now).TotalSeconds;
            var stat = new FrontStat(arrivals, span > 0 ? concurrencyIntegral / span : inFront);
            arrivals = 0;
            concurrencyIntegral = 0;
            lastScrape = now;
            return stat;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        forwarder.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Entered();
        try
        {
            var instance = await PickOrHoldAsync(context);
            if (instance is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            try
            {
                await ForwardAsync(context, instance);
            }
            finally
            {
                instance.RequestEnded();
            }
        }
        finally
        {
            Left();
        }
    }

    private async Task<OrderServiceInstance?> PickOrHoldAsync(HttpContext context)
    {
        if (fleet.PickRoutable() is { } ready)
        {
            return ready;
        }

        var waiting = Stopwatch.StartNew();
        Holding?.Invoke();
        while (waiting.Elapsed < RequestTimeout && !context.RequestAborted.IsCancellationRequested)
        {
            var changed = fleet.Changed;
            if (fleet.PickRoutable() is { } instance)
            {
                return instance;
            }

            try
            {
                await changed.WaitAsync(RequestTimeout - waiting.Elapsed, context.RequestAborted);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    private async Task ForwardAsync(HttpContext context, OrderServiceInstance instance)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(instance.Address, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (!HopByHop.Contains(name) && !message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await forwarder.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The instance went away under the request: the sender retries, as with a pod that died.
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private void Entered()
    {
        lock (statGate)
        {
            Accumulate(Stopwatch.GetTimestamp());
            inFront++;
            arrivals++;
        }
    }

    private void Left()
    {
        lock (statGate)
        {
            Accumulate(Stopwatch.GetTimestamp());
            inFront--;
        }
    }

    private void Accumulate(long now)
    {
        concurrencyIntegral += inFront * Stopwatch.GetElapsedTime(lastChange, now).TotalSeconds;
        lastChange = now;
    }
}
