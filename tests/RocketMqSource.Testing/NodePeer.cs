using System.Diagnostics;
using System.Text;

namespace RocketMqSource.Testing;

/// <summary>The outcome of one run of a Node script.</summary>
public sealed record NodeResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Throws with both streams when the script failed, so a test failure shows why.</summary>
    public NodeResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"node exited with {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}");
        }

        return this;
    }
}

/// <summary>
/// Runs scripts under tests/interop with the machine's Node.js and the official npm peers the
/// build installed there (see RocketMqSource.Testing.csproj).
/// </summary>
public static class NodePeer
{
    public static async Task<NodeResult> RunAsync(
        string script,
        IEnumerable<string>? args = null,
        string? standardInput = null,
        IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Interop, script));
        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in time\n{await stderr}");
        }

        return new NodeResult(process.ExitCode, await stdout, await stderr);
    }
}
