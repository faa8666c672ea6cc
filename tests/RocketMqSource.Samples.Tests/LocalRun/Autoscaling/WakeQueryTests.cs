using System.Text.RegularExpressions;
using FoodDelivery.LocalRun.Keda;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// The wake query KEDA's emulation reads: what the controller's shipped wake-query computes, on a
/// history of scrapes as Prometheus keeps them (latest scrape within 5 minutes; "offset" one window back).
/// </summary>
public sealed partial class WakeQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = ScaledObjectSettings.ForOrderSource().WakeWindow;

    [Fact]
    public void It_reads_the_counters_the_controllers_shipped_query_names()
    {
        var config = Manifest.LoadFile(RepoPaths.Combine("config", "401-config-rocketmq-autoscaler.yaml")).Single();
        var query = (string)config.Document["data"]!["wake-query"]!;

        Assert.Equal(WakeQuery.IngressCounters, IncreaseTerm().Matches(query).Select(m => m.Groups["counter"].Value));
        Assert.EndsWith(" > bool 0", query, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(80), Window);
    }

    [Fact]
    public void A_message_counts_for_one_window_from_the_first_scrape_that_shows_it()
    {
        var history = new ScrapeHistory(Window);
        Scrape(history, T0, "rocketmq_messages_in_total{topic=\"orders\",message_type=\"normal\",is_system=\"false\"} 5");
        Scrape(history, T0 + Window, "rocketmq_messages_in_total{topic=\"orders\",message_type=\"normal\",is_system=\"false\"} 5");
        Assert.Equal(0, WakeQuery.Evaluate(history, T0 + Window, "orders"));

        var shown = T0 + Window + TimeSpan.FromSeconds(15);
        Scrape(history, shown, "rocketmq_messages_in_total{topic=\"orders\",message_type=\"normal\",is_system=\"false\"} 6");
        Assert.Equal(1, WakeQuery.Evaluate(history, shown, "orders"));
        Assert.Equal(1, WakeQuery.Evaluate(history, shown + Window - TimeSpan.FromTicks(1), "orders"));
        Assert.Equal(0, WakeQuery.Evaluate(history, shown + Window, "orders"));
    }

    [Fact]
    public void A_series_newer_than_the_window_or_one_that_went_back_counts_whole()
    {
        var history = new ScrapeHistory(Window);
        Scrape(history, T0, "rocketmq_messages_in_total{topic=\"orders\",message_type=\"normal\",is_system=\"false\"} 500");
        Scrape(history, T0 + Window, """
            rocketmq_messages_in_total{topic="orders",message_type="normal",is_system="false"} 500
            rocketmq_messages_in_total{topic="orders",message_type="fifo",is_system="false"} 1
            """);
        Assert.Equal(1, WakeQuery.Evaluate(history, T0 + Window, "orders"));

        Scrape(history, T0 + (2 * Window), """
            rocketmq_messages_in_total{topic="orders",message_type="normal",is_system="false"} 2
            rocketmq_messages_in_total{topic="orders",message_type="fifo",is_system="false"} 1
            """);
        Assert.Equal(1, WakeQuery.Evaluate(history, T0 + (2 * Window), "orders"));
    }

    [Fact]
    public void Other_topics_and_groups_backlog_do_not_wake_it_delayed_messages_do_when_due()
    {
        var history = new ScrapeHistory(Window);
        Scrape(history, T0, "rocketmq_timer_dequeue_total{topic=\"orders\"} 3");
        Scrape(history, T0 + Window, """
            rocketmq_timer_dequeue_total{topic="orders"} 3
            rocketmq_messages_in_total{topic="payments",message_type="normal",is_system="false"} 7
            rocketmq_messages_in_total{topic="rmq_sys_wheel_timer",message_type="delay",is_system="true"} 1
            rocketmq_consumer_ready_messages{topic="orders",consumer_group="order-source"} 9
            """);
        Assert.Equal(0, WakeQuery.Evaluate(history, T0 + Window, "orders"));

        Scrape(history, T0 + Window + TimeSpan.FromSeconds(10), "rocketmq_timer_dequeue_total{topic=\"orders\"} 4");
        Assert.Equal(1, WakeQuery.Evaluate(history, T0 + Window + TimeSpan.FromSeconds(10), "orders"));
    }

    [Fact]
    public void Without_a_scrape_in_the_last_five_minutes_there_is_nothing_to_read()
    {
        var history = new ScrapeHistory(Window);
        Scrape(history, T0, "rocketmq_messages_in_total{topic=\"orders\",message_type=\"normal\",is_system=\"false\"} 1");

        Assert.Equal(1, WakeQuery.Evaluate(history, T0 + TimeSpan.FromMinutes(1), "orders"));
        Assert.Equal(0, WakeQuery.Evaluate(history, T0 + TimeSpan.FromMinutes(5), "orders"));
    }

    private static void Scrape(ScrapeHistory history, DateTimeOffset at, string text) => history.Add(at, text + "\n");

    [GeneratedRegex(@"\(sum\(\(\((?<counter>[a-z_]+)\{topic=""\{\{topic\}\}""\} - \(\k<counter>\{topic=""\{\{topic\}\}""\} offset \{\{window\}\}\)\) >= 0\) or \k<counter>\{topic=""\{\{topic\}\}""\}\) or vector\(0\)\)")]
    private static partial Regex IncreaseTerm();
}
