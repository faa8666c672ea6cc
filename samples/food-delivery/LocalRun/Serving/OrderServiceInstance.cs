using System.Collections.Concurrent;
using System.Globalization;
using FoodDelivery.LocalRun.Processes;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// One instance (pod) of the order service revision: the built service as its own process
/// (<c>dotnet FoodDelivery.OrderService.dll</c>) on its own loopback port, as Knative runs the
/// container with $PORT. It is ready once it answers its readiness probe (GET /health); every
/// "order accepted" line it logs is handed on. The activator front counts the requests it sends
/// it, so an instance taken away is stopped only when it has none left.
/// </summary>
internal sealed class OrderServiceInstance : IReplica
{
    private const int KeptLines = 100;
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(25);

    private readonly ChildProcess process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource<DateTimeOffset> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource probing = new();
    private readonly Task probe;
    private int inFlight;

    private OrderServiceInstance(int number, string serviceDll, int port, Action<OrderLogEntry> onOrder, HttpClient probeClient)
    {
        Number = number;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // What Knative Serving gives the container, on this machine's loopback only.
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["LISTEN_ADDRESS"] = "127.0.0.1",
            ["DOTNET_EnableDiagnostics"] = "0",
        };
        process = ChildProcess.Start(serviceDll, environment, ["PORT", "LISTEN_ADDRESS"], line =>
        {
            if (OrderLogEntry.Parse(line) is { } order)
            {
                onOrder(order);
                return;
            }

            lines.Enqueue(line);
            while (lines.Count > KeptLines && lines.TryDequeue(out _))
            {
            }
        });
        probe = ProbeUntilReadyAsync(probeClient, probing.Token);
    }

    /// <summary>1 for the first instance of the run, and so on (pod names, in a cluster).</summary>
    public int Number { get; }

    public Uri Address { get; }

    /// <summary>When it first answered its readiness probe; null until then.</summary>
    public DateTimeOffset? ReadyAt => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : null;

    public bool IsReady => ReadyAt is not null && !process.HasExited;

    /// <summary>Requests the front is forwarding to it now.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public Task Ready => ready.Task;

    public Task Exited => process.Exited;

    public bool HasExited => process.HasExited;

    public bool StopRequested => process.StopRequested;

    public int ProcessId => process.ProcessId;

    public int? ExitCode => process.ExitCode;

    /// <summary>Its last lines that were not order lines (startup, warnings), oldest first.</summary>
    public IReadOnlyList<string> RecentOutput => [.. lines];

    public static OrderServiceInstance Start(int number, string serviceDll, int port, Action<OrderLogEntry> onOrder, HttpClient probeClient) =>
        new(number, serviceDll, port, onOrder, probeClient);

    /// <summary>The front sends it a request (counted by the fleet as it picks the instance).</summary>
    public void RequestStarted() => Interlocked.Increment(ref inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref inFlight);

    /// <summary>SIGTERM (Kestrel finishes what it has and exits), then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await probing.CancelAsync();
        await process.StopAsync(grace);
    }

    public async ValueTask DisposeAsync()
    {
        await probing.CancelAsync();
        await probe;
        await process.DisposeAsync();
        probing.Dispose();
    }

    /// <summary>Knative probes a starting container aggressively, so the first request is routed as soon as Kestrel answers.</summary>
    private async Task ProbeUntilReadyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var health = new Uri(Address, "health");
        while (!cancellationToken.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    ready.TrySetResult(DateTimeOffset.UtcNow);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the probe's timeout (a loaded machine): not ready yet.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(ProbeEvery, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
