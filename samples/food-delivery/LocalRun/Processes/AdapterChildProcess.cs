using System.Collections.Concurrent;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The real receive adapter as its own process (<c>dotnet RocketMqSource.Adapter.dll</c>),
/// configured only by environment variables, as in a pod. Its output is kept (the last lines) to
/// show when something goes wrong; warnings and errors are echoed as they come.
/// </summary>
internal sealed class AdapterChildProcess : IReplica
{
    /// <summary>The line the adapter logs once it consumes.</summary>
    public const string ConsumingMarker = "consuming topic=";

    private const int KeptLines = 200;

    private readonly ConcurrentQueue<(string Line, bool Echoed)> lines = new();
    private readonly TextWriter echo;
    private readonly bool verbose;
    private readonly TaskCompletionSource<DateTimeOffset> consuming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ChildProcess process;
    private int stopping;

    private AdapterChildProcess(int number, int metricsPort, TextWriter echo, bool verbose, string adapterProgram, IReadOnlyDictionary<string, string> environment)
    {
        Number = number;
        MetricsPort = metricsPort;
        this.echo = echo;
        this.verbose = verbose;
        process = ChildProcess.Start(adapterProgram, environment, AdapterEnvironment.OwnedPrefixes, Keep);
    }

    /// <summary>1 for the first adapter the run started, and so on.</summary>
    public int Number { get; }

    /// <summary>Where its /metrics answers.</summary>
    public int MetricsPort { get; }

    /// <summary>When it logged that it consumes; null until then.</summary>
    public DateTimeOffset? ConsumingAt => consuming.Task.IsCompletedSuccessfully ? consuming.Task.Result : null;

    /// <summary>Completes when it logs that it consumes: an adapter replica is ready when it consumes.</summary>
    public Task Ready => consuming.Task;

    public bool IsReady => ConsumingAt is not null && !HasExited;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => process.Exited;

    public bool HasExited => process.HasExited;

    /// <summary>True once it was asked to stop (scale-in or the end of the run): its exit is expected.</summary>
    public bool StopRequested => process.StopRequested;

    public int ProcessId => process.ProcessId;

    public int? ExitCode => process.ExitCode;

    /// <summary>The adapter's last stdout/stderr lines, oldest first.</summary>
    public IReadOnlyList<string> RecentOutput => [.. lines.Select(l => l.Line)];

    /// <summary>The last lines not already shown while the run went on: a failure report adds only these.</summary>
    public IReadOnlyList<string> RecentUnshownOutput => [.. lines.Where(l => !l.Echoed).Select(l => l.Line)];

    /// <summary>Starts the adapter; its warnings and errors are echoed to <paramref name="echo"/> as they come (every line when <paramref name="verbose"/>).</summary>
    public static AdapterChildProcess Start(
        string adapterProgram, IReadOnlyDictionary<string, string> environment, TextWriter echo, bool verbose, int number = 1, int metricsPort = 0) =>
        new(number, metricsPort, echo, verbose, adapterProgram, environment);

    /// <summary>True once the adapter logged that it consumes; false if it exited or the timeout passed first.</summary>
    public async Task<bool> WaitUntilConsumingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(consuming.Task, process.Exited, Task.Delay(timeout, cancellationToken));
        await first;
        return first == consuming.Task;
    }

    /// <summary>SIGTERM (the adapter stops receiving and drains its deliveries), then SIGKILL when it has not exited within <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref stopping, 1);
        return process.StopAsync(grace);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private void Keep(string line)
    {
        // Once it was told to stop, its lines are kept for a report but no longer echoed.
        var echoed = (verbose || AdapterLogLine.IsProblem(line)) && Volatile.Read(ref stopping) == 0;
        lines.Enqueue((line, echoed));
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }

        if (echoed)
        {
            lock (echo)
            {
                echo.WriteLine($"  adapter {Number}| {(verbose ? line : AdapterLogLine.Summarize(line))}");
            }
        }

        if (line.Contains(ConsumingMarker, StringComparison.Ordinal))
        {
            consuming.TrySetResult(DateTimeOffset.UtcNow);
        }
    }
}
