using System.Diagnostics;
using System.Globalization;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// A process the harness starts (adapter or Node peer): output kept in a short ring for error
/// reports, resident memory read from /proc, and a graceful SIGTERM stop.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly List<(long At, string Line)> _firstLines = [];
    private readonly CancellationTokenSource _sampling = new();
    private readonly Task _sampler;
    private long _peakRssKb;

    private ChildProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _sampler = SampleAsync(_sampling.Token);
    }

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        return new ChildProcess(process, startedAt);
    }

    /// <summary>
    /// VmRSS and VmHWM (peak) in MiB from /proc/&lt;pid&gt;/status, and the part of VmRSS that is
    /// anonymous memory (GC heap, stacks, native allocations) rather than mapped files (code).
    /// </summary>
    public (double RssMb, double HwmMb, double AnonMb) Memory()
    {
        var rss = 0L;
        var hwm = 0L;
        var anon = 0L;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
        }

        return (rss / 1024.0, hwm / 1024.0, anon / 1024.0);
    }

    /// <summary>User + system CPU time the process has used so far (/proc/&lt;pid&gt;/stat utime + stime).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks, 100 Hz).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The highest VmRSS sampled (every 50 ms) since the last call; restarts the window.</summary>
    public double TakePeakRssMb() => Interlocked.Exchange(ref _peakRssKb, 0) / 1024.0;

    /// <summary>Stopwatch timestamp at which the harness read the first line containing <paramref name="text"/> (of the first 100 lines), if any.</summary>
    public long? FirstLineAt(string text)
    {
        lock (_lastLines)
        {
            return _firstLines.FirstOrDefault(entry => entry.Line.Contains(text, StringComparison.Ordinal)) is { Line: not null } found ? found.At : null;
        }
    }

    /// <summary>Scheduled ahead of normal-priority processes (a nice value below 0; the harness runs as root in CI and here).</summary>
    public void RaisePriority()
    {
        try
        {
            _process.PriorityClass = ProcessPriorityClass.High;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not permitted (not root): it runs at normal priority, and its lag says how late it was.
        }
    }

    /// <summary>Waits for the process to end by itself; SIGKILL past <paramref name="timeout"/>. Returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // The output's end is read once the process has exited.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then SIGKILL if the process has not exited within the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _sampling.CancelAsync();
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        try
        {
            await _sampler;
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
        _sampling.Dispose();
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                var kb = (long)(Memory().RssMb * 1024);
                long seen;
                while ((seen = Interlocked.Read(ref _peakRssKb)) < kb && Interlocked.CompareExchange(ref _peakRssKb, kb, seen) != seen)
                {
                }
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = Stopwatch.GetTimestamp();
        lock (_lastLines)
        {
            if (_firstLines.Count < 100)
            {
                _firstLines.Add((at, line));
            }

            _lastLines.Enqueue(line);
            if (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
