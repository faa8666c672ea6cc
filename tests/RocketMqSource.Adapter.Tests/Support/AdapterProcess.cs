using System.Collections.Concurrent;
using System.Diagnostics;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// The built adapter (<c>dotnet RocketMqSource.Adapter.dll</c>) as a child process, configured only
/// through environment variables, with its output kept for failure messages.
/// </summary>
internal sealed class AdapterProcess : IAsyncDisposable
{
    private readonly Process process;

    private AdapterProcess(Process process, int metricsPort, int healthPort)
    {
        this.process = process;
        MetricsPort = metricsPort;
        HealthPort = healthPort;
    }

    public int MetricsPort { get; }

    public int HealthPort { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => process.HasExited;

    public int ProcessId => process.Id;

    public string Log => string.Join('\n', Output);

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll");

    /// <summary>Starts the adapter and waits for a line containing <paramref name="waitFor"/> (by default its "consuming" line).</summary>
    public static async Task<AdapterProcess> StartAsync(IReadOnlyDictionary<string, string> env, string waitFor = "consuming topic=")
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("K_", StringComparison.Ordinal) || k.StartsWith("ROCKETMQ_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        var metricsPort = LoopbackPort.GetFree();
        var healthPort = LoopbackPort.GetFree();
        info.Environment["HEALTH_PORT"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        var adapter = new AdapterProcess(Process.Start(info)!, metricsPort, healthPort);
        adapter.process.OutputDataReceived += (_, line) => adapter.Keep(line.Data);
        adapter.process.ErrorDataReceived += (_, line) => adapter.Keep(line.Data);
        adapter.process.BeginOutputReadLine();
        adapter.process.BeginErrorReadLine();
        await Eventually.WaitAsync(() => adapter.Output.Any(l => l.Contains(waitFor, StringComparison.Ordinal)) || adapter.HasExited,
            $"the adapter process to log '{waitFor}'", TimeSpan.FromSeconds(30));
        if (adapter.HasExited)
        {
            throw new InvalidOperationException($"the adapter exited with {adapter.process.ExitCode}:\n{adapter.Log}");
        }

        return adapter;
    }

    /// <summary>SIGKILL: no drain, no acks, no goodbye.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    /// <summary>The sum of a metric's series in the adapter's Prometheus text whose labels contain <paramref name="label"/> (0 when absent).</summary>
    public async Task<double> MetricAsync(string name, string label = "")
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
        return text.Split('\n')
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
    }
}
