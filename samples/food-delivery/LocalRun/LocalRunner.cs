using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FoodDelivery.LocalRun.Keda;
using FoodDelivery.LocalRun.Ledger;
using FoodDelivery.LocalRun.Preflight;
using FoodDelivery.LocalRun.Processes;
using FoodDelivery.LocalRun.Reporting;
using FoodDelivery.LocalRun.Serving;
using FoodDelivery.OrderProducer;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;

namespace FoodDelivery.LocalRun;

/// <summary>
/// Runs the whole flow on this machine: RocketMQ (the embedded emulator, or a real proxy), the
/// real receive adapter as child processes on one consumer group, the order service as child
/// processes behind an activator-like front, and a meal-time day of orders from the producer.
/// Emulated Knative (for the order service) and KEDA (for the adapters) scale both from zero and
/// back on a compressed clock, unless --instances / --adapters fix the counts. Prints progress
/// and scale events as they happen, then a summary and a chart, and says whether every produced
/// order reached the service.
/// </summary>
internal sealed class LocalRunner(LocalRunOptions options, TextWriter output)
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitCannotStart = 3;
    public const int ExitInterrupted = 130;

    private readonly DeliveryLedger ledger = new();
    private readonly TraceReport traces = new();
    private ScalingTimeline timeline = null!;
    private RunObserver observer = null!;

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
        var adapterDll = ProgramLocator.Adapter.Find(AppContext.BaseDirectory);
        var serviceDll = ProgramLocator.OrderService.Find(AppContext.BaseDirectory);
        if (adapterDll is null || serviceDll is null)
        {
            var missing = adapterDll is null ? ProgramLocator.Adapter : ProgramLocator.OrderService;
            Write($"cannot find {missing.DllName}; looked in: {string.Join(", ", missing.Candidates(AppContext.BaseDirectory))}. Build samples/food-delivery/LocalRun first.");
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

        var clock = new CompressedClock(options.TimeFactor);
        var kpa = KpaSettings.ForOrderService(LocalRunOptions.MaxScaledInstances);
        var keda = ScaledObjectSettings.ForOrderSource();
        if (options.LagThreshold is { } lagThreshold)
        {
            keda = keda with { Threshold = lagThreshold };
        }

        var scalesAdapters = options.Adapters is null && emulator is not null;
        timeline = new ScalingTimeline(Write);
        foreach (var line in ScalingSetup.Lines(options, kpa, keda, emulator is not null))
        {
            Write(line);
        }

        await using var services = new ServiceFleet(serviceDll, OnOrderAccepted, timeline, FreeLoopbackPort);
        await using var front = await ActivatorFront.StartAsync(services, cancellationToken);
        Write($"order service {front.Address} (activator-like front; instances: dotnet {serviceDll})");
        // The AOT executable the image ships when it is already published and current (faster per event
        // than the JIT build: docs/performance.md "JIT build"), else the JIT build the local run built.
        var native = ProgramLocator.Adapter.PublishedNative(AppContext.BaseDirectory, adapterDll);
        var adapterProgram = native ?? adapterDll;
        var adapterCommand = native ?? $"dotnet {adapterDll}";
        await using var adapters = new AdapterFleet(adapterProgram, AdapterEnvironmentFor(endpoints, front.Address), timeline, output, options.Verbose);
        adapters.Started += adapter =>
            Write($"adapter {adapter.Number,-5} pid {adapter.ProcessId}: {adapterCommand} (env only: K_SINK={front.Address} ROCKETMQ_ENDPOINTS={endpoints} ROCKETMQ_TOPIC={options.Topic} ROCKETMQ_CONSUMER_GROUP={options.ConsumerGroup})");

        // Stop producing if the user interrupts or a process dies on its own: neither would let the run pass.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var observing = new CancellationTokenSource();
        observer = new RunObserver(options, ledger, emulator, services, adapters, timeline, Write);
        var observation = observer.RunAsync(abort, observing.Token);
        async Task StopObservingAsync()
        {
            await observing.CancelAsync();
            await observation;
        }

        try
        {
            // As the controller creates the adapter Deployment with one replica; KEDA takes it from there.
            adapters.ScaleTo(options.Adapters ?? 1, options.Adapters is null ? "the controller creates the Deployment with 1 replica" : "--adapters");
            if (options.Instances is { } instances)
            {
                services.ScaleTo(instances, "--instances");
            }

            if (!await WaitForAdaptersAsync(adapters, cancellationToken))
            {
                return ExitCannotStart;
            }

            using var kedaScaler = scalesAdapters
                ? new KedaAutoscaler(keda, clock, adapters, new Uri($"http://{emulator!.Endpoint}/metrics"), options.Topic, options.ConsumerGroup)
                : null;
            if (kedaScaler is not null && !await WaitForBrokerToKnowGroupAsync(kedaScaler, cancellationToken))
            {
                return ExitCannotStart;
            }

            using var kpaScaler = options.Instances is null ? new KnativeAutoscaler(kpa, clock, front, services) : null;
            using var stopScaling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var scaling = Task.WhenAll(
                kpaScaler?.RunAsync(stopScaling.Token) ?? Task.CompletedTask,
                kedaScaler?.RunAsync(stopScaling.Token) ?? Task.CompletedTask);
            try
            {
                return await RunDayAsync(endpoints, services, adapters, StopObservingAsync, abort.Token, cancellationToken);
            }
            finally
            {
                await stopScaling.CancelAsync();
                await scaling;
            }
        }
        finally
        {
            await StopObservingAsync();
        }
    }

    /// <summary>Produces the day, waits for the tail and for both to settle at zero, then reports.</summary>
    private async Task<int> RunDayAsync(
        string endpoints, ServiceFleet services, AdapterFleet adapters, Func<Task> stopObserving, CancellationToken abort, CancellationToken cancellationToken)
    {
        Write(string.Create(CultureInfo.InvariantCulture,
            $"producing     {options.Format.ToString().ToLowerInvariant()} orders for {options.Duration.TotalSeconds:0.#} s from {timeline.Elapsed.TotalSeconds:0.0} s, peak {options.PeakRate:0.#}/s, seed {options.Seed}; then up to {options.Drain.TotalSeconds:0} s for the tail"));
        observer.Phase = "produce";
        ProducerRunResult result;
        try
        {
            result = await OrderProducerRunner.RunAsync(ProducerOptionsFor(endpoints), new InlineProgress(p => observer.Produced(p.Sent)), abort);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Write($"cannot produce to {endpoints}: {e.GetType().Name}: {e.Message}");
            return ExitFailed;
        }

        observer.Produced(result.Sent);
        observer.Phase = "drain";
        var producedOrders = result.Orders.Select(o => new ProducedOrder(o.OrderId, o.SendStartedAt)).ToList();
        await WaitAsync(() => ledger.HasAll(producedOrders.Select(o => o.OrderId)), options.Drain, abort);
        observer.Phase = "settle";
        await WaitAsync(() => AtRest(services, adapters), SettleTime(), abort);
        observer.Phase = RunObserver.Done;
        await stopObserving();
        var interrupted = cancellationToken.IsCancellationRequested;
        Write(observer.Snapshot(0).Format());

        var pathDown = timeline.TimesWithoutReady(ScaledComponent.Adapters).Concat(timeline.TimesWithoutReady(ScaledComponent.OrderService)).ToList();
        var summary = new RunSummary(ledger.Reconcile(producedOrders, (order, receivedAt) => ColdStartWait.Of(order.SentAt, receivedAt, pathDown)), result.Failed, interrupted);
        output.Write(summary.Render());
        WriteScaling(services, adapters);
        if (options.Trace)
        {
            foreach (var line in traces.Render(result.Orders))
            {
                Write(line);
            }
        }

        if (options.Adapters > 1 && adapters.Failed is null)
        {
            output.Write(AdapterShares.Render(await ReadSharesAsync(adapters.Current)));
        }

        if (result.Failures.Count > 0)
        {
            Write($"first failed send: {result.Failures[0].OrderId}: {result.Failures[0].Error}");
        }

        if (interrupted)
        {
            return ExitInterrupted;
        }

        if (adapters.Failed is { } failedAdapter)
        {
            ReportAdapterFailure(failedAdapter, "the adapter exited during the run");
            return ExitFailed;
        }

        if (services.Failed is { } failedInstance)
        {
            Write($"FAILED: order-service instance {failedInstance.Number} (pid {failedInstance.ProcessId}) exited during the run (exit code {failedInstance.ExitCode}); its last output:");
            foreach (var line in failedInstance.RecentOutput.TakeLast(20))
            {
                Write($"  instance {failedInstance.Number}| {line}");
            }

            return ExitFailed;
        }

        return summary.Passed ? ExitPassed : ExitFailed;
    }

    /// <summary>The autoscaled components are back at zero (fixed ones count as at rest).</summary>
    private bool AtRest(ServiceFleet services, AdapterFleet adapters) =>
        (options.Instances is not null || (services.Desired == 0 && services.Ready == 0))
        && (options.Adapters is not null || !options.UsesEmulator || (adapters.Desired == 0 && adapters.Running == 0));

    /// <summary>
    /// After the last order, how long to wait for both to reach zero: the KPA needs a stable window
    /// of quiet and the last-pod retention, KEDA the wake window (new messages keep it active that
    /// long), its cooldown and a poll; here compressed, with room for processes to stop.
    /// </summary>
    private TimeSpan SettleTime()
    {
        var kpa = KpaSettings.ForOrderService();
        var keda = ScaledObjectSettings.ForOrderSource();
        var cluster = Max(kpa.StableWindow + kpa.ScaleToZeroPodRetention + (2 * KpaSettings.TickInterval), keda.WakeWindow + keda.CooldownPeriod + keda.PollingInterval);
        return (cluster / options.TimeFactor * 1.5) + TimeSpan.FromSeconds(5);
    }

    private void WriteScaling(ServiceFleet services, AdapterFleet adapters)
    {
        var scales = timeline.Scales;
        var readies = timeline.Readies;
        output.Write(string.Create(CultureInfo.InvariantCulture, $"scaling (emulated rules, clock x{options.TimeFactor:0.#}; seconds of this run)\n"));
        output.Write(options.Instances is { } instances
            ? $"  order service   {instances} instance(s) throughout (--instances)\n"
            : ScalingSummary.Render(scales, readies, ScaledComponent.OrderService, "ready"));
        output.Write(options.Adapters is { } fixedAdapters
            ? $"  adapters        {fixedAdapters} replica(s) throughout (--adapters)\n"
            : ScalingSummary.Render(scales, readies, ScaledComponent.Adapters, "consuming"));
        Write(string.Create(CultureInfo.InvariantCulture,
            $"  processes       {services.All.Count} order-service instance(s), {adapters.All.Count} adapter(s) started; each stopped with SIGTERM"));
        foreach (var adapter in adapters.All.Where(a => a.StopRequested && a.ExitCode is not (null or 0)))
        {
            Write($"                  adapter {adapter.Number} exited with code {adapter.ExitCode} after SIGTERM{(adapter.ConsumingAt is null ? " (stopped while starting)" : string.Empty)}");
        }

        var chart = ScalingChart.Save(options.ChartPath, observer.Samples, options.TimeFactor);
        Write(ScalingChart.HasFonts ? $"chart         {chart}" : $"chart         {chart} (no font found: the chart has no labels; install fonts-dejavu-core)");
    }

    private void OnOrderAccepted(OrderLogEntry order)
    {
        ledger.Delivered(order.OrderId, order.ReceivedAt);
        traces.Received(order);
    }

    private Func<int, (IReadOnlyDictionary<string, string>, int)> AdapterEnvironmentFor(string endpoints, Uri sink) => _ =>
    {
        var metricsPort = FreeLoopbackPort();
        return (AdapterEnvironment.For(options, endpoints, sink, FreeLoopbackPort(), metricsPort), metricsPort);
    };

    /// <summary>The first replicas must consume before the day starts; one that cannot start fails the run with its output.</summary>
    private async Task<bool> WaitForAdaptersAsync(AdapterFleet adapters, CancellationToken cancellationToken)
    {
        var startTimeout = options.AdaptersStartTimeout;
        Write($"waiting for the adapter{(adapters.Current.Count > 1 ? "s" : string.Empty)} to consume (at most {startTimeout.TotalSeconds:0} s)");
        var started = Stopwatch.StartNew();
        foreach (var adapter in adapters.Current)
        {
            var left = startTimeout - started.Elapsed;
            if (left <= TimeSpan.Zero || !await adapter.WaitUntilConsumingAsync(left, cancellationToken))
            {
                ReportAdapterFailure(adapter, adapter.HasExited ? "the adapter exited before consuming" : $"the adapter did not start consuming within {startTimeout.TotalSeconds:0} s");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A broker exports a group's backlog once a consumer of it subscribed (and for 10 minutes
    /// after the consumers go): the run's first backlog is read only then, so the first replica
    /// must have subscribed before KEDA may take it away. Later, KEDA's wake trigger takes the
    /// adapters from zero on new messages even after the broker forgot the group.
    /// </summary>
    private async Task<bool> WaitForBrokerToKnowGroupAsync(KedaAutoscaler keda, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!await keda.BrokerKnowsGroupAsync(cancellationToken))
        {
            if (deadline.Elapsed > options.AdapterStartTimeout)
            {
                Write($"FAILED: RocketMQ never reported the backlog of group {options.ConsumerGroup} on topic {options.Topic}; KEDA could not see it");
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return true;
    }

    /// <summary>Each adapter's own count of events the order service accepted, from its /metrics.</summary>
    private static async Task<IReadOnlyList<AdapterShare>> ReadSharesAsync(IReadOnlyList<AdapterChildProcess> adapters)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var shares = new List<AdapterShare>();
        foreach (var adapter in adapters)
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{adapter.MetricsPort}/metrics"));
            shares.Add(new AdapterShare(adapter.Number, adapter.ProcessId, AdapterShares.DeliveredFrom(text)));
        }

        return shares;
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
            Write($"  adapter {adapter.Number}| {AdapterLogLine.Summarize(line)}");
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

    /// <summary>Waits until <paramref name="done"/>, the time passed, or the run is aborted.</summary>
    private static async Task WaitAsync(Func<bool> done, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!done() && deadline.Elapsed < atMost && !cancellationToken.IsCancellationRequested)
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

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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
