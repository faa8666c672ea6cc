using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>Runs the built local run as its own process (dotnet FoodDelivery.LocalRun.dll) and returns its exit code and output.</summary>
internal static class LocalRunProcess
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string>(), args);

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FoodDelivery.LocalRun.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("the local run did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Generous);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The number in a summary row such as "  orders produced          297".</summary>
    public static long Count(string output, string label)
    {
        var match = Regex.Match(output, $@"^  {Regex.Escape(label)} +(?<n>[0-9]+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}' row in:\n{output}");
        return long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
    }
}
