using FoodDelivery.OrderProducer.Cli;

namespace RocketMqSource.Samples.Tests.OrderProducer;

/// <summary>The command line as a user runs it (in-process, output captured).</summary>
public sealed class ProducerCommandTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await ProducerCommand.Create(output).Parse(args).InvokeAsync(new() { Output = output, Error = output });
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task A_run_prints_what_it_sends_a_line_a_second_and_a_summary()
    {
        var (exitCode, output) = await RunAsync(
            "--endpoints", fixture.Emulator.Endpoint, "--topic", "cli-orders", "--format", "cloudevents",
            "--duration", "2s", "--peak-rate", "1", "--quiet-rate", "10", "--seed", "5");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"sending to {fixture.Emulator.Endpoint} topic=cli-orders format=cloudevents (binary) peak=1/s duration=2s", lines[0], StringComparison.Ordinal);
        Assert.Contains("seed=5", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("1s  target", StringComparison.Ordinal) && l.Contains("sent/s", StringComparison.Ordinal));
        // 2 s at 10/s, plus breakfast, lunch and dinner at 1/s: 20 + 0.264 orders.
        Assert.Matches("^done: sent=20 failed=0 in ", lines[^1]);
    }

    [Theory]
    [InlineData("--duration", "5x", "'5x' is not a duration")]
    [InlineData("--format", "xml", "xml")]
    public async Task Unparseable_options_are_refused_with_a_message(string option, string value, string message)
    {
        var (exitCode, output) = await RunAsync(option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency must be at least 1")]
    [InlineData("--peak-rate", "0", "--peak-rate must be a positive number")]
    [InlineData("--cancel-ratio", "1.5", "--cancel-ratio must be between 0 and 1")]
    [InlineData("--access-key", "ak", "--access-key and --secret-key go together")]
    public async Task Out_of_range_options_are_refused_before_connecting(string option, string value, string message)
    {
        var (exitCode, output) = await RunAsync("--endpoints", "127.0.0.1:1", option, value);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain("sending to", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_proxy_fails_with_a_one_line_reason()
    {
        var (exitCode, output) = await RunAsync("--endpoints", $"127.0.0.1:{RocketMqSource.Testing.LoopbackPort.GetFree()}", "--duration", "2s");

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot produce to 127.0.0.1:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    public void Durations_are_written_the_Kubernetes_way(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("15")]
    public void A_duration_of_nothing_or_without_a_unit_is_refused(string text) => Assert.False(DurationText.TryParse(text, out _));
}
