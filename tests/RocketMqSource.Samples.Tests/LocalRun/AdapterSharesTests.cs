using FoodDelivery.LocalRun;
using FoodDelivery.LocalRun.Cli;
using FoodDelivery.LocalRun.Reporting;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>--adapters N: the option, and the per-process counts read from each adapter's /metrics.</summary>
public sealed class AdapterSharesTests
{
    [Fact]
    public void The_delivered_counter_is_summed_over_response_codes_and_nothing_else()
    {
        const string text = """
            # HELP rocketmqsource_events_delivered_total Events the sink accepted, by response code.
            # TYPE rocketmqsource_events_delivered_total counter
            rocketmqsource_events_delivered_total{http_response_status_code="200",messaging_system="rocketmq"} 41 1733100000000
            rocketmqsource_events_delivered_total{http_response_status_code="202",messaging_system="rocketmq"} 2
            rocketmqsource_events_delivered_total_created 1700000000
            messaging_client_consumed_messages_total 50
            """;

        Assert.Equal(43, AdapterShares.DeliveredFrom(text));
    }

    [Fact]
    public void The_table_shows_each_process_and_its_share()
    {
        var table = AdapterShares.Render([new AdapterShare(1, 4242, 30), new AdapterShare(2, 4243, 10)]);

        Assert.Equal(
            "adapters      2 processes on one consumer group\n"
            + "  adapter 1   pid 4242          30 delivered  (75%)\n"
            + "  adapter 2   pid 4243          10 delivered  (25%)\n",
            table);
    }

    [Fact]
    public void Adapters_are_autoscaled_by_default_and_fixed_by_the_given_count()
    {
        LocalRunOptions Parse(params string[] args) => LocalRunCommand.ToOptions(LocalRunCommand.Create(TextWriter.Null).Parse(args));

        Assert.Null(Parse().Adapters);
        Assert.Equal(3, Parse("--adapters", "3").Adapters);
    }

    [Fact]
    public void More_adapters_get_more_time_to_start_on_one_machine()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new LocalRunOptions().AdaptersStartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), new LocalRunOptions { Adapters = 3 }.AdaptersStartTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    public async Task An_adapter_count_out_of_range_is_refused(string count)
    {
        var output = new StringWriter();

        var exit = await LocalRunCommand.Create(output).Parse(["--adapters", count]).InvokeAsync();

        Assert.Equal(LocalRunCommand.ExitBadOptions, exit);
        Assert.Contains("--adapters must be from 1 to 16", output.ToString(), StringComparison.Ordinal);
    }
}
