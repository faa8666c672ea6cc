using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using RocketMqSource.Emulator;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>
/// The local run as a user runs it: its own process (dotnet FoodDelivery.LocalRun.dll) starting
/// the emulator and order service in-process and the real adapter as a child process.
/// </summary>
public sealed partial class LocalRunProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string>(), args);

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, params string[] args)
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

    private static long Count(string output, string label)
    {
        var match = Regex.Match(output, $@"^  {Regex.Escape(label)} +(?<n>[0-9]+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}' row in:\n{output}");
        return long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("cloudevents")]
    public async Task The_short_run_delivers_every_produced_order_and_exits_0(string format)
    {
        var (exitCode, output) = await RunAsync("--short", "--seed", "11", "--format", format);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var produced = Count(output, "orders produced");
        Assert.True(produced > 0, output);
        Assert.Equal(produced, Count(output, "delivered (unique)"));
        Assert.Equal(0, Count(output, "lost"));
        Assert.Contains("OK: every produced order reached the order service", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^ +[0-9]+s produce +produced +[0-9]+ +delivered", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^  latency +p50 [0-9]+ ms  p90 [0-9]+ ms  p99 [0-9]+ ms", RegexOptions.Multiline), output);
    }

    [Fact]
    public async Task Two_adapters_on_one_group_share_the_orders_with_nothing_lost_or_duplicated()
    {
        var (exitCode, output) = await RunAsync("--short", "--seed", "5", "--adapters", "2");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var produced = Count(output, "orders produced");
        Assert.Equal(produced, Count(output, "delivered (unique)"));
        Assert.Equal(0, Count(output, "duplicates"));
        Assert.Equal(0, Count(output, "lost"));
        Assert.Equal(2, Regex.Matches(output, @"^adapter +pid [0-9]+: dotnet ", RegexOptions.Multiline).Count);
        var shares = Regex.Matches(output, @"^  adapter (?<n>[0-9]+) +pid (?<pid>[0-9]+) +(?<delivered>[0-9]+) delivered", RegexOptions.Multiline);
        Assert.Equal(["1", "2"], shares.Select(m => m.Groups["n"].Value));
        Assert.Equal(2, shares.Select(m => m.Groups["pid"].Value).Distinct().Count());
        // Every order the service accepted was delivered by exactly one of the processes.
        Assert.Equal(produced, shares.Sum(m => long.Parse(m.Groups["delivered"].Value, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task With_endpoints_it_uses_that_proxy_and_signs_with_the_given_keys()
    {
        await using var proxy = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", AccessKey = "local-ak", SecretKey = "local-sk" });

        var (exitCode, output) = await RunAsync(
            new Dictionary<string, string> { ["ROCKETMQ_SECRET_KEY"] = "local-sk" },
            "--short", "--seed", "12", "--endpoints", proxy.Endpoint, "--access-key", "local-ak");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"rocketmq      real proxy at {proxy.Endpoint}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("local-sk", output, StringComparison.Ordinal);
        var produced = Count(output, "orders produced");
        Assert.Equal(produced, Count(output, "delivered (unique)"));
        // Every order the run reported went through this proxy and was acked by the adapter's group.
        Assert.Equal(produced, proxy.GetGroupStats("order-source", "orders").Acked);
        Assert.Matches(new Regex(@"in flight +- +backlog +-", RegexOptions.Multiline), output);
    }

    [Fact]
    public async Task An_adapter_that_cannot_start_fails_the_run_with_its_output_and_exit_code()
    {
        var (exitCode, output) = await RunAsync("--short", "--consumer-group", "");

        Assert.Equal(3, exitCode);
        Assert.Contains("FAILED: the adapter exited before consuming (exit code 2)", output, StringComparison.Ordinal);
        Assert.Contains("adapter| invalid configuration: ROCKETMQ_CONSUMER_GROUP", output, StringComparison.Ordinal);
        Assert.DoesNotContain("summary", output, StringComparison.Ordinal);
    }
}
