using System.Globalization;
using System.Text.RegularExpressions;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>
/// The local run as a user runs it: its own process (dotnet FoodDelivery.LocalRun.dll) starting
/// the emulator in-process, and the real adapter and order service as child processes. The
/// autoscaling story has its own tests (<see cref="LocalRunScalingTests"/>); most of these fix
/// the counts, which keeps them short.
/// </summary>
public sealed class LocalRunProcessTests
{
    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => LocalRunProcess.RunAsync(args);

    private static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, params string[] args) => LocalRunProcess.RunAsync(env, args);

    private static long Count(string output, string label) => LocalRunProcess.Count(output, label);

    [Theory]
    [InlineData("json", false)]
    [InlineData("cloudevents", true)]
    public async Task The_short_run_delivers_every_produced_order_and_exits_0(string format, bool fixedCounts)
    {
        string[] counts = fixedCounts ? ["--instances", "1", "--adapters", "1"] : [];
        var (exitCode, output) = await RunAsync(["--short", "--seed", "11", "--format", format, .. counts]);

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
        var (exitCode, output) = await RunAsync("--short", "--seed", "5", "--adapters", "2", "--instances", "1");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var produced = Count(output, "orders produced");
        Assert.Equal(produced, Count(output, "delivered (unique)"));
        Assert.Equal(0, Count(output, "duplicates"));
        Assert.Equal(0, Count(output, "lost"));
        Assert.Equal(2, Regex.Matches(output, @"^adapter [0-9]+ +pid [0-9]+: dotnet ", RegexOptions.Multiline).Count);
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
            "--short", "--seed", "12", "--endpoints", proxy.Endpoint, "--access-key", "local-ak", "--instances", "1");

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
        // Shown once, as it came, not again in the failure report.
        Assert.Single(Regex.Matches(output, "adapter 1\\| invalid configuration: ROCKETMQ_CONSUMER_GROUP"));
        Assert.DoesNotContain("summary", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_endpoints_fail_in_one_line_before_the_adapter_starts()
    {
        var endpoint = $"127.0.0.1:{RocketMqSource.Testing.LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}";

        var (exitCode, output) = await RunAsync("--short", "--endpoints", endpoint);

        Assert.Equal(3, exitCode);
        Assert.Single(output.Split('\n'), l => l.StartsWith("FAILED", StringComparison.Ordinal));
        Assert.Contains($"FAILED: cannot reach RocketMQ at {endpoint}: connection refused\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("adapter", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_fails_in_one_line_naming_the_code_and_not_the_secret()
    {
        await using var proxy = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", AccessKey = "local-ak", SecretKey = "local-sk" });

        var (exitCode, output) = await RunAsync(
            new Dictionary<string, string> { ["ROCKETMQ_SECRET_KEY"] = "wrong-sk" },
            "--short", "--endpoints", proxy.Endpoint, "--access-key", "local-ak");

        Assert.Equal(3, exitCode);
        Assert.Contains($"FAILED: RocketMQ at {proxy.Endpoint} refused topic orders: UNAUTHORIZED (40100)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-sk", output, StringComparison.Ordinal);
        Assert.DoesNotContain("adapter", output, StringComparison.Ordinal);
    }
}
