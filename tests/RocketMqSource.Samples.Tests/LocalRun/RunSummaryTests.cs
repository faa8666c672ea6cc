using FoodDelivery.LocalRun.Ledger;
using FoodDelivery.LocalRun.Reporting;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class RunSummaryTests
{
    private static LedgerReport Report(int produced, IReadOnlyList<string>? lost = null, long duplicates = 0, int unexpected = 0)
    {
        lost ??= [];
        var latency = new LatencyStats(produced - lost.Count, TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(23), TimeSpan.FromMilliseconds(172), TimeSpan.FromMilliseconds(286));
        return new LedgerReport(produced, produced - lost.Count, duplicates, lost, unexpected, latency, TimeSpan.FromSeconds(10.5), 89);
    }

    private static string Row(string text, string label) =>
        text.Split('\n').Single(line => line.StartsWith("  " + label + "  ", StringComparison.Ordinal));

    [Fact]
    public void A_clean_run_passes_and_shows_produced_delivered_duplicates_lost_throughput_and_latency()
    {
        var summary = new RunSummary(Report(297, duplicates: 3), FailedSends: 0, Interrupted: false);

        var text = summary.Render();

        Assert.True(summary.Passed);
        Assert.Equal("  orders produced          297", Row(text, "orders produced"));
        Assert.Equal("  delivered (unique)       297", Row(text, "delivered (unique)"));
        Assert.StartsWith("  duplicates                 3", Row(text, "duplicates"), StringComparison.Ordinal);
        Assert.Equal("  lost                       0", Row(text, "lost"));
        Assert.Contains("28.3 orders/s", Row(text, "throughput"), StringComparison.Ordinal);
        Assert.Contains("peak 89/s", Row(text, "throughput"), StringComparison.Ordinal);
        Assert.Equal("  latency             p50 4 ms  p90 23 ms  p99 172 ms  max 286 ms", Row(text, "latency"));
        Assert.Contains("producer send started -> order service received", text, StringComparison.Ordinal);
        Assert.EndsWith("OK: every produced order reached the order service\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not from this run", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lost_orders_fail_the_run_and_the_first_ten_are_named()
    {
        var lost = Enumerable.Range(1, 12).Select(i => $"o-{i}").ToList();
        var summary = new RunSummary(Report(50, lost), FailedSends: 0, Interrupted: false);

        var text = summary.Render();

        Assert.False(summary.Passed);
        Assert.Equal("  lost                      12", Row(text, "lost"));
        Assert.Contains("  lost orders: o-1 o-2 o-3 o-4 o-5 o-6 o-7 o-8 o-9 o-10 ...\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("o-11", text, StringComparison.Ordinal);
        Assert.EndsWith("FAILED: 12 produced order(s) never reached the order service\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_sends_nothing_produced_and_interruption_each_fail_the_run()
    {
        var failedSends = new RunSummary(Report(10), FailedSends: 2, Interrupted: false);
        Assert.False(failedSends.Passed);
        Assert.Contains("(2 failed to send)", failedSends.Render(), StringComparison.Ordinal);
        Assert.Equal("FAILED: 2 order(s) could not be sent to RocketMQ", failedSends.Verdict);

        var nothing = new RunSummary(new DeliveryLedger().Reconcile([]), FailedSends: 0, Interrupted: false);
        Assert.False(nothing.Passed);
        Assert.Equal("FAILED: no order was produced", nothing.Verdict);
        Assert.Equal("  latency                    -", Row(nothing.Render(), "latency")); // aligned with the counts

        var interrupted = new RunSummary(Report(10), FailedSends: 0, Interrupted: true);
        Assert.False(interrupted.Passed);
        Assert.StartsWith("INTERRUPTED", interrupted.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Orders_left_over_in_the_topic_are_shown_apart()
    {
        var text = new RunSummary(Report(10, unexpected: 4), FailedSends: 0, Interrupted: false).Render();

        Assert.StartsWith("  not from this run          4", Row(text, "not from this run"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_progress_line_shows_dashes_for_counts_only_the_emulator_knows_and_ready_of_wanted_instances()
    {
        var withEmulator = new ProgressSnapshot(TimeSpan.FromSeconds(3), "produce", 26, 24, 2, 0, 20, new Replicas(1, 3), new Replicas(2, 2)).Format();
        var realProxy = new ProgressSnapshot(TimeSpan.FromSeconds(3), "drain", 26, 24, null, null, 20, new Replicas(0, 0), new Replicas(1, 1)).Format();

        Assert.Equal("    3s produce  produced     26  delivered     24  in flight     2  backlog     0  rate    20/s  service 1/3    adapters 2/2", withEmulator);
        Assert.Equal("    3s drain    produced     26  delivered     24  in flight     -  backlog     -  rate    20/s  service 0/0    adapters 1/1", realProxy);
    }
}
