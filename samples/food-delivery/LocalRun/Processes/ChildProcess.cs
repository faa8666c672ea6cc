using System.Diagnostics;
using System.Globalization;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// One program of this repository as its own process (<c>dotnet X.dll</c>), configured only by
/// environment variables, as in a pod: each stdout/stderr line goes to a handler; it is stopped
/// with SIGTERM, as Kubernetes stops a pod, killed if it does not exit within the grace period,
/// and killed when this program exits.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int stopRequested;

    private ChildProcess(Process process) => this.process = process;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => exited.Task;

    public bool HasExited => exited.Task.IsCompleted;

    /// <summary>True once <see cref="StopAsync"/> was called: an exit after it is the one asked for.</summary>
    public bool StopRequested => Volatile.Read(ref stopRequested) == 1;

    public int ProcessId => process.Id;

    public int? ExitCode => HasExited ? process.ExitCode : null;

    /// <param name="ownedPrefixes">Inherited variables with these prefixes are removed, so only <paramref name="environment"/> applies.</param>
    /// <param name="program">A dll (run by the dotnet host) or a native executable (run as it is).</param>
    public static ChildProcess Start(string program, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> ownedPrefixes, Action<string> onLine)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var isDll = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(isDll ? DotnetHost() : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            info.ArgumentList.Add(program);
        }

        foreach (var inherited in info.Environment.Keys.Where(name => ownedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var child = new ChildProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        child.process.OutputDataReceived += (_, e) => Forward(e.Data);
        child.process.ErrorDataReceived += (_, e) => Forward(e.Data);
        child.process.Exited += (_, _) => child.exited.TrySetResult();
        child.process.Start();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += child.KillOnExit;
        return child;

        void Forward(string? line)
        {
            if (line is not null)
            {
                onLine(line);
            }
        }
    }

    /// <summary>SIGTERM, then SIGKILL when it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref stopRequested, 1);
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

    /// <summary>The dotnet host running this program when there is one (dotnet run, dotnet test), else "dotnet" from PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
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
