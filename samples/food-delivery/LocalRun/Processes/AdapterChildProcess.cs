using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The real receive adapter as its own process (<c>dotnet RocketMqSource.Adapter.dll</c>),
/// configured only by environment variables, as in a pod. Its output is kept (the last lines) to
/// show when something goes wrong; it is stopped with SIGTERM, as Kubernetes does, and killed if
/// it does not exit in time or when this program exits.
/// </summary>
internal sealed class AdapterChildProcess : IAsyncDisposable
{
    /// <summary>The line the adapter logs once it consumes.</summary>
    public const string ConsumingMarker = "consuming topic=";

    private const int KeptLines = 200;

    private readonly Process process;
    private readonly ConcurrentQueue<(string Line, bool Echoed)> lines = new();
    private readonly TextWriter echo;
    private readonly bool verbose;
    private readonly TaskCompletionSource consuming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AdapterChildProcess(Process process, TextWriter echo, bool verbose)
    {
        this.process = process;
        this.echo = echo;
        this.verbose = verbose;
    }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => exited.Task;

    public bool HasExited => exited.Task.IsCompleted;

    public int ProcessId => process.Id;

    public int? ExitCode => HasExited ? process.ExitCode : null;

    /// <summary>The adapter's last stdout/stderr lines, oldest first.</summary>
    public IReadOnlyList<string> RecentOutput => [.. lines.Select(l => l.Line)];

    /// <summary>The last lines not already shown while the run went on: a failure report adds only these.</summary>
    public IReadOnlyList<string> RecentUnshownOutput => [.. lines.Where(l => !l.Echoed).Select(l => l.Line)];

    /// <summary>Starts the adapter; its warnings and errors are echoed to <paramref name="echo"/> as they come (every line when <paramref name="verbose"/>).</summary>
    public static AdapterChildProcess Start(string adapterDll, IReadOnlyDictionary<string, string> environment, TextWriter echo, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(adapterDll);
        foreach (var inherited in info.Environment.Keys.Where(IsOwned).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var adapter = new AdapterChildProcess(process, echo, verbose);
        process.OutputDataReceived += (_, e) => adapter.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => adapter.Keep(e.Data);
        process.Exited += (_, _) => adapter.exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += adapter.KillOnExit;
        return adapter;
    }

    /// <summary>True once the adapter logged that it consumes; false if it exited or the timeout passed first.</summary>
    public async Task<bool> WaitUntilConsumingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(consuming.Task, exited.Task, Task.Delay(timeout, cancellationToken));
        await first;
        return first == consuming.Task;
    }

    /// <summary>SIGTERM, then SIGKILL when it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        if (await Task.WhenAny(exited.Task, Task.Delay(grace)) != exited.Task)
        {
            KillNow();
            await exited.Task.WaitAsync(grace);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        if (!HasExited)
        {
            KillNow();
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // Let the asynchronous readers flush the last lines.
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static bool IsOwned(string name) =>
        AdapterEnvironment.OwnedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The dotnet host running this program when there is one (dotnet run, dotnet test), else "dotnet" from PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        var echoed = verbose || AdapterLogLine.IsProblem(line);
        lines.Enqueue((line, echoed));
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }

        if (echoed)
        {
            lock (echo)
            {
                echo.WriteLine($"  adapter| {(verbose ? line : AdapterLogLine.Summarize(line))}");
            }
        }

        if (line.Contains(ConsumingMarker, StringComparison.Ordinal))
        {
            consuming.TrySetResult();
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        if (!HasExited)
        {
            KillNow();
        }
    }

    private void KillNow()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
