using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

// Measures controller builds against the API-server double, interleaved run by run so that
// machine load hits them alike: process start -> /readiness (wall and CPU time), the first and
// the following reconciles (source created -> status written) and RSS when idle afterwards.
//
//   dotnet run -c Release --project tests/benchmarks/RocketMqSource.ControllerBenchmarks -- \
//     --controller before=/path/to/old/RocketMqSource.Controller.dll --controller after=/path/to/new/RocketMqSource.Controller.dll
//   (no --controller: the controller built beside this program) --runs 5 --sources 10 --idle 5
var controllers = new List<(string Label, string Dll)>();
int runs = 5, sources = 10, idleSeconds = 5;
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
        case "--idle":
            idleSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (controllers.Count == 0)
{
    controllers.Add(("current", Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Controller.dll")));
}

var results = controllers.ToDictionary(c => c.Label, _ => new List<Sample>());
for (var run = 1; run <= runs; run++)
{
    foreach (var (label, dll) in controllers)
    {
        var sample = await MeasureAsync(dll, sources, TimeSpan.FromSeconds(idleSeconds));
        results[label].Add(sample);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run} {label,-8} ready {sample.ReadyMs,6:F0} ms (cpu {sample.ReadyCpuMs,5:F0} ms)  first reconcile {sample.FirstReconcileMs,6:F1} ms  next (median) {sample.NextReconcileMs,6:F1} ms  idle RSS {sample.IdleRssMiB,5:F1} MiB"));
    }
}

Console.WriteLine();
Console.WriteLine($"medians over {runs} runs ({sources} sources each)");
Console.WriteLine($"{"metric",-40}" + string.Concat(controllers.Select(c => $"{c.Label,12}")));
Row("start -> /readiness, wall (ms)", s => s.ReadyMs);
Row("start -> /readiness, CPU (ms)", s => s.ReadyCpuMs);
Row("first reconcile (ms)", s => s.FirstReconcileMs);
Row("later reconciles, median (ms)", s => s.NextReconcileMs);
Row("idle RSS (MiB)", s => s.IdleRssMiB);
return 0;

void Row(string name, Func<Sample, double> metric) =>
    Console.WriteLine($"{name,-40}" + string.Concat(controllers.Select(c => string.Create(CultureInfo.InvariantCulture, $"{Median(results[c.Label].Select(metric)),12:F1}"))));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task<Sample> MeasureAsync(string dll, int sources, TimeSpan idle)
{
    const string SourcesPath = "/apis/sources.knative.dev/v1alpha1/namespaces/food/rocketmqsources";
    await using var server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions { BearerToken = "bench" });
    server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", new JsonObject
    {
        ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["metadata"] = new JsonObject { ["name"] = "default" },
        ["status"] = new JsonObject { ["address"] = new JsonObject { ["url"] = "http://broker-ingress.knative-eventing.svc.cluster.local/food/default" } },
    });
    var kubeconfig = await server.WriteKubeconfigAsync("bench");
    var healthPort = LoopbackPort.GetFree();
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
    start.Environment["METRICS_PORT"] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
    start.Environment["LOG_LEVEL"] = "warn";

    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
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
        for (var i = 0; i < sources; i++)
        {
            var name = $"orders-{i}";
            var created = Stopwatch.StartNew();
            server.Seed(SourcesPath, Source(name));
            while (server.TryGet($"{SourcesPath}/{name}")?["status"]?["conditions"] is not JsonArray { Count: > 0 })
            {
                if (created.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"no status for {name} within 60 s");
                }

                await Task.Delay(1);
            }

            latencies.Add(created.Elapsed.TotalMilliseconds);
        }

        await Task.Delay(idle);
        return new Sample(readyMs, readyCpuMs, latencies[0], Median(latencies.Skip(1).DefaultIfEmpty(latencies[0])), RssMiB(process.Id));
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        File.Delete(kubeconfig);
    }
}

static JsonObject Source(string name) => new()
{
    ["apiVersion"] = "sources.knative.dev/v1alpha1",
    ["kind"] = "RocketMQSource",
    ["metadata"] = new JsonObject { ["name"] = name },
    ["spec"] = new JsonObject
    {
        ["endpoints"] = "rmq-proxy.rocketmq:8081", ["topic"] = "orders", ["consumerGroup"] = "order-dispatch",
        ["sink"] = new JsonObject { ["ref"] = new JsonObject { ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["name"] = "default" } },
    },
};

// utime + stime from /proc/<pid>/stat (clock ticks, 100 per second on Linux).
static double CpuMilliseconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
}

static double RssMiB(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}

internal sealed record Sample(double ReadyMs, double ReadyCpuMs, double FirstReconcileMs, double NextReconcileMs, double IdleRssMiB);
