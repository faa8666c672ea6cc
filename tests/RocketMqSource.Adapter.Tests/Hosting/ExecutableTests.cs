using System.Diagnostics;
using RocketMqSource.Adapter.Tests.Support;

namespace RocketMqSource.Adapter.Tests.Hosting;

/// <summary>Runs the built adapter (<c>dotnet RocketMqSource.Adapter.dll</c>) as a process, as the container does.</summary>
public class ExecutableTests
{
    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(Dictionary<string, string?> env)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("K_", StringComparison.Ordinal) || k.StartsWith("ROCKETMQ_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Missing_sink_exits_non_zero_with_one_line_naming_the_variable()
    {
        var (exitCode, stdout, stderr) = await RunAsync(TestEnvironment.Valid(("K_SINK", null)));

        Assert.Equal(2, exitCode);
        Assert.Equal("invalid configuration: K_SINK: is required\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Invalid_value_exits_non_zero_with_one_line_naming_the_variable_and_problem()
    {
        var (exitCode, _, stderr) = await RunAsync(TestEnvironment.Valid(("ROCKETMQ_INVISIBLE_DURATION", "5m0x")));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("invalid configuration: ROCKETMQ_INVISIBLE_DURATION: must be a duration", line, StringComparison.Ordinal);
    }
}
