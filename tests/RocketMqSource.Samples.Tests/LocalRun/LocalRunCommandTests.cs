using FoodDelivery.LocalRun.Cli;
using FoodDelivery.LocalRun;
using FoodDelivery.OrderProducer.Cli;
using FoodDelivery.OrderProducer.Messages;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class LocalRunCommandTests
{
    private static LocalRunOptions Parse(params string[] args)
    {
        var parse = LocalRunCommand.Create(TextWriter.Null).Parse(args);
        Assert.Empty(parse.Errors);
        return LocalRunCommand.ToOptions(parse);
    }

    [Fact]
    public void By_default_it_runs_a_30_second_day_at_100_orders_per_second_on_the_embedded_emulator_autoscaled_at_time_factor_10()
    {
        var options = Parse();

        Assert.Equal(TimeSpan.FromSeconds(30), options.Duration);
        Assert.Equal(100, options.PeakRate);
        Assert.Equal(10, options.TimeFactor);
        Assert.Null(options.Adapters);
        Assert.Null(options.Instances);
        Assert.Null(options.LagThreshold);
        Assert.Equal(MessageFormat.Json, options.Format);
        Assert.True(options.UsesEmulator);
        Assert.Equal("orders", options.Topic);
        Assert.Equal("order-source", options.ConsumerGroup);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Drain);
    }

    [Fact]
    public void Short_mode_changes_the_defaults_and_explicit_values_still_win()
    {
        var shortRun = Parse("--short");
        var shortLonger = Parse("--short", "--duration", "6s", "--peak-rate", "10");

        Assert.Equal(TimeSpan.FromSeconds(4), shortRun.Duration);
        Assert.Equal(50, shortRun.PeakRate);
        Assert.Equal(30, shortRun.TimeFactor);
        Assert.Equal(TimeSpan.FromSeconds(6), shortLonger.Duration);
        Assert.Equal(10, shortLonger.PeakRate);
    }

    [Fact]
    public void Endpoints_keys_format_seed_and_drain_are_taken_as_given()
    {
        var options = Parse("--endpoints", "rmq:8081", "--access-key", "ak", "--secret-key", "sk", "--format", "cloudevents",
            "--seed", "42", "--drain", "1m30s", "-g", "g2", "-t", "t2");

        Assert.False(options.UsesEmulator);
        Assert.Equal("rmq:8081", options.Endpoints);
        Assert.Equal("ak", options.AccessKey);
        Assert.Equal("sk", options.SecretKey);
        Assert.Equal(MessageFormat.CloudEvents, options.Format);
        Assert.Equal(42, options.Seed);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Drain);
        Assert.Equal("g2", options.ConsumerGroup);
        Assert.Equal("t2", options.Topic);
    }

    [Fact]
    public void Counts_time_factor_lag_threshold_and_chart_are_taken_as_given()
    {
        var options = Parse("--adapters", "3", "--instances", "2", "--time-factor", "30", "--lag-threshold", "5", "--chart", "day.png");

        Assert.Equal(3, options.Adapters);
        Assert.Equal(2, options.Instances);
        Assert.Equal(30, options.TimeFactor);
        Assert.Equal(5, options.LagThreshold);
        Assert.Equal("day.png", options.ChartPath);
    }

    [Theory]
    [InlineData("--instances", "0", "--instances must be from 1 to 16")]
    [InlineData("--time-factor", "0.5", "--time-factor must be from 1 to 1000")]
    [InlineData("--lag-threshold", "0", "--lag-threshold must be at least 1")]
    public async Task Out_of_range_counts_and_factors_stop_the_run_with_the_rule(string option, string value, string message)
    {
        var output = new StringWriter();

        var exitCode = await LocalRunCommand.Create(output).Parse([option, value]).InvokeAsync();

        Assert.Equal(LocalRunCommand.ExitBadOptions, exitCode);
        Assert.Equal(message, output.ToString().Trim());
    }

    [Theory]
    [InlineData("--duration", "15")]
    [InlineData("--duration", "soon")]
    [InlineData("--drain", "0s")]
    [InlineData("--format", "xml")]
    public void Bad_values_are_parse_errors(string option, string value)
    {
        var parse = LocalRunCommand.Create(TextWriter.Null).Parse([option, value]);

        Assert.NotEmpty(parse.Errors);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("15s", 15_000)]
    [InlineData("1m30s", 90_000)]
    public void Durations_are_written_go_style(string text, int milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }
}
