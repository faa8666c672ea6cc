using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

// Measures controller builds against the API-server double and a RocketMQ emulator (so every
// connectivity check succeeds, as on a healthy cluster), interleaved run by run so that machine
// load hits them alike:
//   - process start -> /readiness (wall and CPU time);
//   - each source's first reconcile (created -> status written), one source at a time;
//   - a steady-state reconcile of every source (an annotation edit the controller has nothing to
//     write for): API requests per reconcile, read from the double's request log, and mean
//     reconcile time, from the controller's own kn_workqueue_process_duration histogram;
//   - idle RSS after `--warm` sources and after `--sources`, and the difference per source.
//
//   dotnet run -c Release --project tests/benchmarks/RocketMqSource.ControllerBenchmarks -- \
//     --controller before=/path/to/old/RocketMqSource.Controller.dll --controller after=/path/to/new/RocketMqSource.Controller.dll
//   (no --controller: the controller built beside this program) --runs 3 --sources 1000 --warm 10 --idle 5 --out result.json
var controllers = new List<(string Label, string Dll)>();
int runs = 3, sources = 200, warm = 10, idleSeconds = 5;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--controller":
            var parts = args[++i].Split('=', 2);
            controllers.Add((parts[0], Path.GetFullPath(parts[1])));
            break;
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--sources":
            sources = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--warm":
            warm = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--idle":
            idleSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--out":
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (warm < 1 || sources <= warm)
{
    Console.Error.WriteLine("--sources must exceed --warm, which must be at least 1");
    return 2;
}

if (controllers.Count == 0)
{
    controllers.Add(("current", Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Controller.dll")));
}

var started = DateTimeOffset.UtcNow;
var results = controllers.ToDictionary(c => c.Label, _ => new List<Sample>());
for (var run = 1; run <= runs; run++)
{
    foreach (var (label, dll) in controllers)
    {
        var sample = await Measurement.RunAsync(dll, sources, warm, TimeSpan.FromSeconds(idleSeconds));
        results[label].Add(sample);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run} {label,-8} ready {sample.ReadyMs,5:F0} ms  first reconcile {sample.FirstReconcileMs,6:F1} ms  next (median) {sample.NextReconcileMs,5:F1} ms  "
            + $"steady: {sample.ReadsPerReconcile:F2} reads + {sample.WritesPerReconcile:F2} writes, {sample.SteadyReconcileMs:F2} ms  RSS {sample.WarmRssMiB:F1} -> {sample.IdleRssMiB:F1} MiB ({sample.KiBPerSource:F1} KiB/source)  reconciles {sample.ReconcilesToCreate:F0} ({sample.FailedReconciles:F0} failed)"));
    }
}

(string Name, Func<Sample, double> Metric)[] rows =
[
    ("start -> /readiness, wall (ms)", s => s.ReadyMs),
    ("start -> /readiness, CPU (ms)", s => s.ReadyCpuMs),
    ("first reconcile (ms)", s => s.FirstReconcileMs),
    ("later sources, created -> status (median ms)", s => s.NextReconcileMs),
    ("steady-state reconcile, API reads", s => s.ReadsPerReconcile),
    ("steady-state reconcile, API writes", s => s.WritesPerReconcile),
    ("steady-state reconcile, mean time (ms)", s => s.SteadyReconcileMs),
    ($"idle RSS, {warm} sources (MiB)", s => s.WarmRssMiB),
    ($"idle RSS, {sources} sources (MiB)", s => s.IdleRssMiB),
    ("RSS per source (KiB)", s => s.KiBPerSource),
    ("reconciles while creating them all", s => s.ReconcilesToCreate),
    ("  of which failed (retried)", s => s.FailedReconciles),
];
Console.WriteLine();
Console.WriteLine($"medians over {runs} runs ({sources} sources each)");
Console.WriteLine($"{"metric",-46}" + string.Concat(controllers.Select(c => $"{c.Label,12}")));
foreach (var (name, metric) in rows)
{
    Console.WriteLine($"{name,-46}" + string.Concat(controllers.Select(c => string.Create(CultureInfo.InvariantCulture, $"{Median(results[c.Label].Select(metric)),12:F2}"))));
}

if (output is not null)
{
    var json = new JsonObject
    {
        ["benchmark"] = "controller",
        ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
        ["finished"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["loadAverage"] = File.ReadAllText("/proc/loadavg").Trim() },
        ["options"] = new JsonObject { ["runs"] = runs, ["sources"] = sources, ["warm"] = warm, ["idleSeconds"] = idleSeconds },
        ["controllers"] = new JsonObject(controllers.Select(c => KeyValuePair.Create(c.Label, (JsonNode?)new JsonObject
        {
            ["dll"] = c.Dll,
            ["medians"] = new JsonObject(rows.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)Math.Round(Median(results[c.Label].Select(r.Metric)), 2)))),
            ["runs"] = JsonSerializer.SerializeToNode(results[c.Label]),
        }))),
    };
    await File.WriteAllTextAsync(output, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"written to {output}");
}

return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

internal sealed record Sample(
    double ReadyMs,
    double ReadyCpuMs,
    double FirstReconcileMs,
    double NextReconcileMs,
    double ReadsPerReconcile,
    double WritesPerReconcile,
    double SteadyReconcileMs,
    double WarmRssMiB,
    double IdleRssMiB,
    double KiBPerSource,
    double ReconcilesToCreate,
    double FailedReconciles);

internal static class Measurement
{
    private const string SourcesPath = "/apis/sources.knative.dev/v1alpha1/namespaces/food/rocketmqsources";

    public static async Task<Sample> RunAsync(string dll, int sources, int warm, TimeSpan idle)
    {
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" });
        await using var server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions { BearerToken = "bench" });
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", new JsonObject
        {
            ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["metadata"] = new JsonObject { ["name"] = "default" },
            ["status"] = new JsonObject { ["address"] = new JsonObject { ["url"] = "http://broker-ingress.knative-eventing.svc.cluster.local/food/default" } },
        });
        var kubeconfig = await server.WriteKubeconfigAsync("bench");
        var healthPort = LoopbackPort.GetFree();
        var metricsPort = LoopbackPort.GetFree();
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in new[] { "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["ADAPTER_IMAGE"] = "registry.example/rocketmqsource-adapter:bench";
        start.Environment["LEADER_ELECTION_ENABLED"] = "false";
        start.Environment["POD_NAME"] = "bench";
        start.Environment["HEALTH_PORT"] = healthPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["LOG_LEVEL"] = "warn";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = new ControllerMetrics(http, new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the controller exited with {process.ExitCode}: {await stderr}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/readiness"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(10);
            }

            var readyMs = clock.Elapsed.TotalMilliseconds;
            var readyCpuMs = CpuMilliseconds(process.Id);

            var latencies = new List<double>();
            for (var i = 0; i < warm; i++)
            {
                latencies.Add(await CreateAsync(server, $"orders-{i}", emulator.Endpoint));
            }

            await metrics.WaitForIdleAsync();
            await Task.Delay(idle);
            var warmRss = RssMiB(process.Id);
            for (var i = warm; i < sources; i++)
            {
                latencies.Add(await CreateAsync(server, $"orders-{i}", emulator.Endpoint));
            }

            await metrics.WaitForIdleAsync();
            await Task.Delay(idle);
            var idleRss = RssMiB(process.Id);
            var created = await metrics.ReadAsync();

            // Steady state: every source is edited in a way that needs no write (an annotation), so
            // each reconcile finds everything in order; what it sends is what a resync would send.
            var before = await metrics.ReadAsync();
            server.ClearRequests();
            for (var i = 0; i < sources; i++)
            {
                var path = ApiPath.TryParse($"{SourcesPath}/orders-{i}")!;
                server.Store.Patch(path, "application/merge-patch+json", JsonNode.Parse("""{"metadata":{"annotations":{"bench/touched":"1"}}}""")!);
            }

            await metrics.WaitForAsync(m => m.Successes >= before.Successes + sources && m.Depth == 0, $"{sources} steady-state reconciles");
            var after = await metrics.ReadAsync();
            var requests = server.Requests.Where(r => !r.IsWatch).ToList();
            var reconciles = after.Successes - before.Successes;
            var reads = requests.Count(r => r.Method == "GET");
            var writes = requests.Count - reads;
            var meanMs = (after.DurationSeconds - before.DurationSeconds) / (after.DurationCount - before.DurationCount) * 1000;
            return new Sample(
                readyMs, readyCpuMs, latencies[0], Median(latencies.Skip(1)),
                (double)reads / reconciles, (double)writes / reconciles, meanMs,
                warmRss, idleRss, (idleRss - warmRss) * 1024 / (sources - warm),
                created.Successes + created.Errors, created.Errors);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(kubeconfig);
        }
    }

    private static async Task<double> CreateAsync(KubernetesApiServerDouble server, string name, string endpoints)
    {
        var created = Stopwatch.StartNew();
        server.Seed(SourcesPath, Source(name, endpoints));
        while (server.TryGet($"{SourcesPath}/{name}")?["status"]?["conditions"] is not JsonArray { Count: > 0 })
        {
            if (created.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"no status for {name} within 60 s");
            }

            await Task.Delay(1);
        }

        return created.Elapsed.TotalMilliseconds;
    }

    private static JsonObject Source(string name, string endpoints) => new()
    {
        ["apiVersion"] = "sources.knative.dev/v1alpha1",
        ["kind"] = "RocketMQSource",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["endpoints"] = endpoints, ["topic"] = "orders", ["consumerGroup"] = "order-dispatch",
            ["sink"] = new JsonObject { ["ref"] = new JsonObject { ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["name"] = "default" } },
        },
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // utime + stime from /proc/<pid>/stat (clock ticks, 100 per second on Linux).
    private static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
