using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FoodDelivery.LocalRun.Ledger;
using FoodDelivery.LocalRun.Preflight;
using FoodDelivery.LocalRun.Processes;
using FoodDelivery.LocalRun.Reporting;
using FoodDelivery.OrderProducer;
using FoodDelivery.OrderService;
using Microsoft.AspNetCore.Builder;
using RocketMqSource.Emulator;

namespace FoodDelivery.LocalRun;

/// <summary>
/// Runs the whole flow on this machine: RocketMQ (the embedded emulator, or a real proxy), the
/// real receive adapter as child processes (--adapters N share one consumer group, like replicas),
/// the order service in-process, and a meal-time peak
/// from the producer; prints progress once a second and a summary, and says whether every
/// produced order reached the service.
/// </summary>
internal sealed class LocalRunner(LocalRunOptions options, TextWriter output)
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitCannotStart = 3;
    public const int ExitInterrupted = 130;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly DeliveryLedger ledger = new();
    private readonly TraceReport traces = new();
    private long produced;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunOrThrowAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Write("INTERRUPTED: the run was stopped before producing finished");
            return ExitInterrupted;
        }
    }

    private async Task<int> RunOrThrowAsync(CancellationToken cancellationToken)
    {
        var adapterDll = AdapterLocator.Find(AppContext.BaseDirectory);
        if (adapterDll is null)
        {
            Write($"cannot find {AdapterLocator.DllName}; looked in: {string.Join(", ", AdapterLocator.Candidates(AppContext.BaseDirectory))}. Build samples/food-delivery/LocalRun first.");
            return ExitCannotStart;
        }

        await using var emulator = options.UsesEmulator
            ? await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" }, cancellationToken)
            : null;
        var endpoints = emulator?.Endpoint ?? options.Endpoints!;
        Write(emulator is null
            ? $"rocketmq      real proxy at {endpoints} (topic {options.Topic}, group {options.ConsumerGroup})"
            : $"rocketmq      embedded emulator at {endpoints} (in-process; development only)");
        if (emulator is null && await ProxyCheck.ProblemAsync(options, cancellationToken) is { } problem)
        {
            // Checked before starting anything else: a wrong address fails in one line, not in retries.
            Write($"FAILED: {problem}");
            return ExitCannotStart;
        }

        await using var service = OrderServiceApp.Build([], new OrderServiceOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            OnOrderAccepted = order =>
            {
                ledger.Delivered(order.OrderId, order.ReceivedAt);
                traces.Received(order.OrderId, order.TraceParent);
            },
            OrderLog = options.Trace ? traces.ServiceLog : TextWriter.Null,
        });
        await service.StartAsync(cancellationToken);
        try
        {
            var sink = OrderServiceApp.GetBaseAddress(service);
            Write($"order service {sink} (in-process)");
            return await RunWithServiceAsync(adapterDll, endpoints, sink, emulator, cancellationToken);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private async Task<int> RunWithServiceAsync(string adapterDll, string endpoints, Uri sink, RocketMqEmulator? emulator, CancellationToken cancellationToken)
    {
        // Like replicas of the adapter Deployment: N processes, one consumer group, each with its own ports.
        var adapters = new List<(AdapterChildProcess Process, int MetricsPort)>();
        try
        {
            for (var i = 0; i < options.Adapters; i++)
            {
                var metricsPort = FreeLoopbackPort();
                var env = AdapterEnvironment.For(options, endpoints, sink, FreeLoopbackPort(), metricsPort);
                var started = AdapterChildProcess.Start(adapterDll, env, output, options.Verbose);
                adapters.Add((started, metricsPort));
                Write($"adapter       pid {started.ProcessId}: dotnet {adapterDll} (env only: K_SINK={sink} ROCKETMQ_ENDPOINTS={endpoints} ROCKETMQ_TOPIC={options.Topic} ROCKETMQ_CONSUMER_GROUP={options.ConsumerGroup})");
            }

            return await RunWithAdaptersAsync(adapters, endpoints, emulator, cancellationToken);
        }
        finally
        {
            foreach (var (process, _) in adapters)
            {
                await process.DisposeAsync();
            }
        }
    }

    private async Task<int> RunWithAdaptersAsync(
        IReadOnlyList<(AdapterChildProcess Process, int MetricsPort)> adapters, string endpoints, RocketMqEmulator? emulator, CancellationToken cancellationToken)
    {
        var startTimeout = options.AdaptersStartTimeout;
        Write($"waiting for the adapter{(adapters.Count > 1 ? "s" : string.Empty)} to consume (at most {startTimeout.TotalSeconds:0} s)");
        var started = Stopwatch.StartNew();
        foreach (var (adapter, _) in adapters)
        {
            var left = startTimeout - started.Elapsed;
            if (left <= TimeSpan.Zero || !await adapter.WaitUntilConsumingAsync(left, cancellationToken))
            {
                ReportAdapterFailure(adapter, adapter.HasExited ? "the adapter exited before consuming" : $"the adapter did not start consuming within {startTimeout.TotalSeconds:0} s");
                return ExitCannotStart;
            }
        }

        Write(string.Create(CultureInfo.InvariantCulture,
            $"producing     {options.Format.ToString().ToLowerInvariant()} orders for {options.Duration.TotalSeconds:0.#} s, peak {options.PeakRate:0.#}/s, seed {options.Seed}; then up to {options.Drain.TotalSeconds:0} s for the tail"));

        // Stop producing if the user interrupts or the adapter dies: neither would let the run pass.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var (adapter, _) in adapters)
        {
            _ = adapter.Exited.ContinueWith(_ => CancelQuietly(abort), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        var clock = Stopwatch.StartNew();
        using var progressStop = new CancellationTokenSource();
        var phase = "produce";
        var progress = ReportProgressAsync(clock, () => phase, emulator, progressStop.Token);

        ProducerRunResult result;
        try
        {
            result = await OrderProducerRunner.RunAsync(ProducerOptionsFor(endpoints), new InlineProgress(p => Interlocked.Exchange(ref produced, p.Sent)), abort.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await progressStop.CancelAsync();
            await progress;
            Write($"cannot produce to {endpoints}: {e.GetType().Name}: {e.Message}");
            return ExitFailed;
        }

        Interlocked.Exchange(ref produced, result.Sent);
        phase = "drain";
        var producedOrders = result.Orders.Select(o => new ProducedOrder(o.OrderId, o.SendStartedAt)).ToList();
        await DrainAsync(producedOrders, abort.Token);
        await progressStop.CancelAsync();
        await progress;
        WriteProgress(clock.Elapsed, "done", emulator, 0);

        var interrupted = cancellationToken.IsCancellationRequested;
        var summary = new RunSummary(ledger.Reconcile(producedOrders), result.Failed, interrupted);
        output.Write(summary.Render());
        if (options.Trace)
        {
            foreach (var line in traces.Render(result.Orders))
            {
                Write(line);
            }
        }

        if (adapters.Count > 1 && adapters.All(a => !a.Process.HasExited))
        {
            output.Write(AdapterShares.Render(await ReadSharesAsync(adapters)));
        }

        if (result.Failures.Count > 0)
        {
            Write($"first failed send: {result.Failures[0].OrderId}: {result.Failures[0].Error}");
        }

        if (interrupted)
        {
            // Ctrl-C in a terminal reaches the adapters too (same process group): their exit is expected.
            await StopAllAsync(adapters);
            return ExitInterrupted;
        }

        if (adapters.FirstOrDefault(a => a.Process.HasExited).Process is { } failed)
        {
            ReportAdapterFailure(failed, "the adapter exited during the run");
            return ExitFailed;
        }

        await StopAllAsync(adapters);
        return summary.Passed ? ExitPassed : ExitFailed;
    }

    private static Task StopAllAsync(IReadOnlyList<(AdapterChildProcess Process, int MetricsPort)> adapters) =>
        Task.WhenAll(adapters.Select(a => a.Process.StopAsync(TimeSpan.FromSeconds(10))));

    /// <summary>Each adapter's own count of events the order service accepted, from its /metrics.</summary>
    private static async Task<IReadOnlyList<AdapterShare>> ReadSharesAsync(IReadOnlyList<(AdapterChildProcess Process, int MetricsPort)> adapters)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var shares = new List<AdapterShare>();
        for (var i = 0; i < adapters.Count; i++)
        {
            var (process, port) = adapters[i];
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            shares.Add(new AdapterShare(i + 1, process.ProcessId, AdapterShares.DeliveredFrom(text)));
        }

        return shares;
    }

    /// <summary>Waits until every produced order arrived, the drain time passed, or the run is aborted.</summary>
    private async Task DrainAsync(IReadOnlyList<ProducedOrder> producedOrders, CancellationToken cancellationToken)
    {
        var ids = producedOrders.Select(o => o.OrderId).ToList();
        var deadline = Stopwatch.StartNew();
        while (!ledger.HasAll(ids) && deadline.Elapsed < options.Drain && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReportProgressAsync(Stopwatch clock, Func<string> phase, RocketMqEmulator? emulator, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Tick);
        long lastDelivered = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                lastDelivered = WriteProgress(clock.Elapsed, phase(), emulator, lastDelivered);
            }
        }
        catch (OperationCanceledException)
        {
            // The run moved on to its summary.
        }
    }

    /// <summary>Writes one progress line; returns the delivered count it showed (for the next line's rate).</summary>
    private long WriteProgress(TimeSpan elapsed, string phase, RocketMqEmulator? emulator, long lastDelivered)
    {
        var delivered = ledger.DeliveredUnique;
        var stats = emulator?.GetGroupStats(options.ConsumerGroup, options.Topic);
        var rate = phase == "done" ? 0 : Math.Max(0, delivered - lastDelivered);
        // The emulator knows what it stored right now; the producer only reports once a second.
        var producedNow = phase != "done" && emulator?.GetTopicStats().FirstOrDefault(t => t.Topic == options.Topic) is { } topic
            ? topic.Stored
            : Interlocked.Read(ref produced);
        Write(new ProgressSnapshot(elapsed, phase, producedNow, delivered, stats?.InFlight, stats?.Backlog, rate).Format());
        return delivered;
    }

    private ProducerOptions ProducerOptionsFor(string endpoints) => new()
    {
        Endpoints = endpoints,
        Topic = options.Topic,
        AccessKey = options.AccessKey,
        SecretKey = options.SecretKey,
        Format = options.Format,
        PeakRate = options.PeakRate,
        Duration = options.Duration,
        Seed = options.Seed,
        Trace = options.Trace,
    };

    /// <summary>The failure in one line, then only the adapter lines not already shown as they came.</summary>
    private void ReportAdapterFailure(AdapterChildProcess adapter, string reason)
    {
        var code = adapter.ExitCode is { } exit ? $" (exit code {exit})" : string.Empty;
        var unshown = adapter.RecentUnshownOutput.TakeLast(40).ToList();
        Write(unshown.Count > 0 ? $"FAILED: {reason}{code}; its last output:" : $"FAILED: {reason}{code} (see the adapter lines above)");
        foreach (var line in unshown)
        {
            Write($"  adapter| {AdapterLogLine.Summarize(line)}");
        }
    }

    private void Write(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already finished.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Progress handled on the reporting thread (Progress&lt;T&gt; would post it to the thread pool).</summary>
    private sealed class InlineProgress(Action<ProducerProgress> report) : IProgress<ProducerProgress>
    {
        public void Report(ProducerProgress value) => report(value);
    }
}
