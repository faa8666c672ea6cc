using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RocketMqSource.Emulator;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// One run, in order: ceiling (raw HttpClient → sink), adapter drain of a preloaded backlog
/// (start-up, throughput, peak RSS), idle RSS, open-loop latency steps, RSS with a large backlog,
/// and the Node peer draining the same backlog size. Everything on loopback; the emulator and the
/// sink live in this process, the adapter and the peer are their own processes.
/// </summary>
internal sealed class BenchmarkRunner(BenchmarkSettings settings, TextWriter log)
{
    private const string Source = "/apis/v1/namespaces/default/rocketmqsources/bench#bench";
    private readonly List<Metric> _metrics = [];

    public async Task<BenchmarkReport> RunAsync()
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var body = Workload.OrderJson(settings.BodyBytes);
        var smallBody = Workload.OrderJson(settings.SmallBodyBytes);
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" });
        await using var sink = await BenchmarkSink.StartAsync();
        log.WriteLine($"emulator {emulator.Endpoint}, sink {sink.Uri}");

        var ceiling = await MeasureCeilingAsync(sink, body);
        var adapterRate = await MeasureAdapterAsync(emulator, sink, body);
        Add("adapter.ratioToCeiling", "adapter ÷ ceiling", adapterRate / ceiling, "x", "≥ 0.5", adapterRate / ceiling >= 0.5);
        await MeasureBacklogMemoryAsync(emulator, sink, smallBody);
        var peerRate = settings.SkipPeer ? 0 : await MeasurePeerAsync(emulator, sink, body);
        Add("adapter.ratioToPeer", "adapter ÷ Node peer", peerRate > 0 ? adapterRate / peerRate : 0, "x", "≥ 3", peerRate > 0 ? adapterRate / peerRate >= 3 : null);

        var report = new BenchmarkReport(DateTimeOffset.UtcNow, MachineInfo.Current(loadAtStart), settings.Smoke, SettingsSummary(), _metrics);
        return report;
    }

    private async Task<double> MeasureCeilingAsync(BenchmarkSink sink, byte[] body)
    {
        log.WriteLine($"ceiling: HttpClient → sink, {settings.MaxInFlight} concurrent, {settings.CeilingDuration.TotalSeconds}s");
        var recorder = sink.BeginPhase(trackIds: false, trackLatency: false);
        var cpuBefore = HarnessCpuTime();
        var (requests, perSecond) = await CeilingLoop.RunAsync(sink.Uri, body, settings.MaxInFlight, settings.CeilingDuration, Source);
        Add("ceiling.cpuMsPer1kRequests", "ceiling: client + sink CPU per 1,000 requests", (HarnessCpuTime() - cpuBefore).TotalMilliseconds * 1000 / Math.Max(1, requests), "ms");
        Add("ceiling.requests", "ceiling: requests", requests, "req");
        Add("ceiling.requestsPerSecond", "ceiling: raw HttpClient → sink", perSecond, "req/s");
        return recorder.Requests > 0 ? perSecond : 0;
    }

    private async Task<double> MeasureAdapterAsync(RocketMqEmulator emulator, BenchmarkSink sink, byte[] body)
    {
        const string topic = "bench";
        var preloadRate = Workload.Preload(emulator, topic, settings.Messages, body);
        log.WriteLine($"adapter: preloaded {settings.Messages} × {body.Length} B ({preloadRate:N0}/s); starting the adapter");
        var recorder = sink.BeginPhase(trackIds: true, trackLatency: true);
        await using var adapter = StartAdapter(emulator, sink, topic, "bench");
        await WaitOrFailAsync(recorder.FirstArrivalTask, adapter, "first event");
        var cpuAtFirstEvent = adapter.CpuTime();
        var harnessCpuAtFirstEvent = HarnessCpuTime();
        var startup = (recorder.FirstArrival - adapter.StartedAt) * 1000.0 / Stopwatch.Frequency;
        if (!await recorder.WaitForDistinctAsync(settings.Messages, settings.DrainTimeout))
        {
            throw new InvalidOperationException($"adapter drained {recorder.DistinctIds}/{settings.Messages}\n{adapter.RecentOutput}");
        }

        // CPU per event is robust to other load on the machine, unlike events/s.
        var cpuPerThousand = (adapter.CpuTime() - cpuAtFirstEvent).TotalMilliseconds * 1000 / settings.Messages;
        Add("adapter.cpuMsPer1kEvents", "adapter: CPU per 1,000 events (drain)", cpuPerThousand, "ms");
        Add("harness.cpuMsPer1kEvents", "emulator + sink: CPU per 1,000 events (drain)", (HarnessCpuTime() - harnessCpuAtFirstEvent).TotalMilliseconds * 1000 / settings.Messages, "ms");

        var drainPeak = adapter.TakePeakRssMb();
        var hwm = adapter.Memory().HwmMb;
        var rate = recorder.ArrivalRate();
        Add("startup.firstEventMs", "start-up: process start → first event", startup, "ms");
        Add("adapter.events", "adapter: events drained", recorder.DistinctIds, "events");
        Add("adapter.duplicates", "adapter: duplicate deliveries", recorder.Duplicates, "events");
        Add("adapter.eventsPerSecond", "adapter: drain throughput", rate, "events/s");
        Add("memory.drainPeakRssMb", "adapter: peak RSS while draining", drainPeak, "MiB", "≤ 100", drainPeak <= 100);
        Add("memory.drainHwmMb", "adapter: VmHWM after drain", hwm, "MiB");

        await Task.Delay(settings.IdleSettle);
        adapter.TakePeakRssMb();
        var idle = adapter.Memory().RssMb;
        Add("memory.idleRssMb", "adapter: RSS idle (after drain)", idle, "MiB", "≤ 40", idle <= 40);

        foreach (var (stepRate, duration) in settings.LatencySteps)
        {
            await MeasureLatencyAsync(emulator, sink, adapter, topic, body, stepRate, duration);
        }

        Add("memory.latencyPeakRssMb", "adapter: peak RSS during latency steps", adapter.TakePeakRssMb(), "MiB");
        await adapter.StopAsync(TimeSpan.FromSeconds(30));
        return rate;
    }

    private async Task MeasureLatencyAsync(RocketMqEmulator emulator, BenchmarkSink sink, ChildProcess adapter, string topic, byte[] body, int rate, TimeSpan duration)
    {
        log.WriteLine($"latency: {rate}/s open loop for {duration.TotalSeconds}s");
        var recorder = sink.BeginPhase(trackIds: true, trackLatency: true);
        var (sent, lag) = await OpenLoopProducer.RunAsync(emulator, topic, body, rate, duration);
        Array.Sort(lag);
        if (!await recorder.WaitForDistinctAsync(sent, TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"latency {rate}/s: {recorder.DistinctIds}/{sent} arrived\n{adapter.RecentOutput}");
        }

        var sorted = recorder.LatenciesMilliseconds();
        Array.Sort(sorted);
        var p99 = Percentiles.Of(sorted, 99);
        var held = rate == 1_000 || (settings.Smoke && rate == settings.LatencySteps[0].Rate);
        Add($"latency.{rate}.events", $"latency @ {rate}/s: events", sorted.Length, "events");
        Add($"latency.{rate}.p50Ms", $"latency @ {rate}/s: p50", Percentiles.Of(sorted, 50), "ms");
        Add($"latency.{rate}.p99Ms", $"latency @ {rate}/s: p99", p99, "ms", held ? "≤ 5" : null, held ? p99 <= 5 : null);
        Add($"latency.{rate}.p999Ms", $"latency @ {rate}/s: p99.9", Percentiles.Of(sorted, 99.9), "ms");
        Add($"latency.{rate}.producerLagP99Ms", $"latency @ {rate}/s: p99 of the producer's own lag (in the above)", Percentiles.Of(lag, 99), "ms");
    }

    private async Task MeasureBacklogMemoryAsync(RocketMqEmulator emulator, BenchmarkSink sink, byte[] smallBody)
    {
        const string topic = "backlog";
        var preloadRate = Workload.Preload(emulator, topic, settings.BacklogMessages, smallBody);
        log.WriteLine($"backlog: preloaded {settings.BacklogMessages} × {smallBody.Length} B ({preloadRate:N0}/s); adapter RSS for {settings.BacklogObservation.TotalSeconds}s");
        var recorder = sink.BeginPhase(trackIds: true, trackLatency: false);
        await using var adapter = StartAdapter(emulator, sink, topic, "bench-backlog");
        await WaitOrFailAsync(recorder.FirstArrivalTask, adapter, "first backlog event");
        await Task.Delay(settings.BacklogObservation);
        var peak = adapter.TakePeakRssMb();
        Add("backlog.messages", "backlog: messages preloaded", settings.BacklogMessages, "msgs");
        Add("backlog.events", "backlog: events delivered while observed", recorder.DistinctIds, "events");
        Add("memory.backlogPeakRssMb", "adapter: peak RSS with the large backlog", peak, "MiB", "≤ 100, flat", peak <= 100);
        await adapter.StopAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<double> MeasurePeerAsync(RocketMqEmulator emulator, BenchmarkSink sink, byte[] body)
    {
        const string topic = "peer";
        Workload.Preload(emulator, topic, settings.PeerMessages, body);
        log.WriteLine($"peer: Node forwarder (rocketmq-client-nodejs + cloudevents) draining {settings.PeerMessages}");
        var recorder = sink.BeginPhase(trackIds: true, trackLatency: false);
        var interop = Path.Combine(RepoRoot(), "tests", "interop");
        var environment = new Dictionary<string, string> { ["ROCKETMQ_ENDPOINT"] = emulator.Endpoint };
        await using var peer = ChildProcess.Start("node",
            [Path.Combine(interop, "benchmark-forwarder.mjs"), topic, "bench-peer", sink.Uri.ToString(), settings.MaxInFlight.ToString(CultureInfo.InvariantCulture)],
            environment, interop);
        await WaitOrFailAsync(recorder.FirstArrivalTask, peer, "first peer event");
        var cpuAtFirstEvent = peer.CpuTime();
        if (!await recorder.WaitForDistinctAsync(settings.PeerMessages, settings.DrainTimeout))
        {
            throw new InvalidOperationException($"peer drained {recorder.DistinctIds}/{settings.PeerMessages}\n{peer.RecentOutput}");
        }

        Add("peer.cpuMsPer1kEvents", "Node peer: CPU per 1,000 events (drain)", (peer.CpuTime() - cpuAtFirstEvent).TotalMilliseconds * 1000 / settings.PeerMessages, "ms");

        var rate = recorder.ArrivalRate();
        Add("peer.events", "Node peer: events drained", recorder.DistinctIds, "events");
        Add("peer.eventsPerSecond", "Node peer: drain throughput", rate, "events/s");
        return rate;
    }

    private ChildProcess StartAdapter(RocketMqEmulator emulator, BenchmarkSink sink, string topic, string group)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll");
        var environment = new Dictionary<string, string>
        {
            ["K_SINK"] = sink.Uri.ToString(),
            ["NAME"] = "bench",
            ["NAMESPACE"] = "default",
            ["ROCKETMQ_ENDPOINTS"] = emulator.Endpoint,
            ["ROCKETMQ_TOPIC"] = topic,
            ["ROCKETMQ_CONSUMER_GROUP"] = group,
            ["ROCKETMQ_MAX_IN_FLIGHT"] = settings.MaxInFlight.ToString(CultureInfo.InvariantCulture),
            ["HEALTH_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings.AdapterEnvironment)
        {
            environment[key] = value;
        }

        return ChildProcess.Start("dotnet", [dll], environment);
    }

    private static async Task WaitOrFailAsync(Task arrival, ChildProcess process, string what)
    {
        var deadline = Task.Delay(TimeSpan.FromSeconds(60));
        while (!arrival.IsCompleted)
        {
            if (process.HasExited || deadline.IsCompleted)
            {
                throw new InvalidOperationException($"no {what}: process {(process.HasExited ? "exited" : "silent for 60 s")}\n{process.RecentOutput}");
            }

            await Task.WhenAny(arrival, Task.Delay(100));
        }
    }

    private static TimeSpan HarnessCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RocketMqSource.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RocketMqSource.sln not found above the harness");
    }

    private Dictionary<string, object> SettingsSummary() => new()
    {
        ["messages"] = settings.Messages,
        ["bodyBytes"] = settings.BodyBytes,
        ["backlogMessages"] = settings.BacklogMessages,
        ["backlogBodyBytes"] = settings.SmallBodyBytes,
        ["peerMessages"] = settings.PeerMessages,
        ["maxInFlight"] = settings.MaxInFlight,
        ["ceilingSeconds"] = settings.CeilingDuration.TotalSeconds,
        ["latencySteps"] = settings.LatencySteps.Select(step => $"{step.Rate}/s for {step.Duration.TotalSeconds}s").ToArray(),
        ["adapterEnvironment"] = settings.AdapterEnvironment,
    };

    private void Add(string key, string name, double value, string unit, string? target = null, bool? met = null)
    {
        _metrics.Add(new Metric(key, name, value, unit, target, met));
        log.WriteLine($"  {name}: {value:0.##} {unit}");
    }
}
