using System.Diagnostics;
using System.Text.Json;
using RocketMqSource.Benchmarks;

namespace RocketMqSource.Benchmarks.Tests;

/// <summary>
/// Runs the benchmark harness end to end in --smoke mode (tiny counts, a few seconds) as its own
/// process, exactly as a person would, and checks the JSON table it writes. Speed is not asserted.
/// The JIT build only (--no-aot): the Native AOT publish is exercised by the packaging tests.
/// </summary>
public sealed class HarnessSmokeTests
{
    [Fact]
    public async Task Smoke_run_writes_a_complete_json_table()
    {
        var output = Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, log) = await RunHarnessAsync("--smoke", "--no-aot", "--out", output);
            Assert.True(exitCode == 0, $"harness exited with {exitCode}\n{log}");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var root = json.RootElement;
            Assert.True(root.GetProperty("smoke").GetBoolean());
            Assert.True(root.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetProperty("runtime").GetString()));
            Assert.True(root.GetProperty("date").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));

            var metrics = root.GetProperty("metrics").EnumerateArray()
                .ToDictionary(metric => metric.GetProperty("key").GetString()!, metric => metric.GetProperty("value").GetDouble());
            var settings = BenchmarkSettings.ForSmoke(new BenchmarkSettings());
            var missing = BenchmarkReport.RequiredKeys(["jit"], settings.LatencySteps.Select(step => step.Rate)).Where(key => !metrics.ContainsKey(key)).ToList();
            Assert.True(missing.Count == 0, "missing metrics: " + string.Join(", ", missing));

            // Every event of each phase arrived: counts equal what the harness sent.
            Assert.Equal(settings.Messages, metrics["jit.events"]);
            Assert.Equal(settings.PeerMessages, metrics["peer.events"]);
            Assert.Equal(settings.BacklogMessages, metrics["backlog.messages"]);
            foreach (var (rate, duration) in settings.LatencySteps)
            {
                Assert.Equal(rate * duration.TotalSeconds, metrics[$"jit.latency.{rate}.events"]);
            }

            // Measured quantities are real measurements (non-zero), whatever their size.
            foreach (var key in new[]
            {
                "ceiling.requests", "ceiling.requestsPerSecond", "ceiling.cpuMsPer1kRequests", "peer.eventsPerSecond",
                "jit.eventsPerSecond", "jit.cpuMsPer1kEvents", "jit.cpuToCeiling", "jit.ratioToPeer",
                "jit.memory.drainPeakRssMb", "jit.memory.drainHwmMb", "jit.memory.idleRssMb", "jit.memory.latencyPeakRssMb",
                "jit.backlog.events", "jit.memory.backlogPeakRssMb", "jit.startup.readinessMs", "jit.startup.firstEventMs",
                "jit.startup.hostStartingMs", "jit.startup.consumingMs",
                // The adapter's own time, read from its histogram after a step the producer process paced.
                "jit.latency.1000.service.before_post.p50Ms", "jit.latency.1000.service.before_ack.p50Ms",
            })
            {
                Assert.True(metrics[key] > 0, $"{key} = {metrics[key]}");
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunHarnessAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Benchmarks.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness did not finish in 100 s\n{await stderr}");
        }

        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
