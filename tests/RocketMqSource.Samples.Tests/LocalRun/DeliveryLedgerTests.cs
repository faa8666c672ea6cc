using FoodDelivery.LocalRun.Ledger;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class DeliveryLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double milliseconds) => T0.AddMilliseconds(milliseconds);

    [Fact]
    public void Every_produced_order_delivered_once_is_nothing_lost_and_no_duplicates()
    {
        var ledger = new DeliveryLedger();
        ledger.Delivered("o-1", At(10));
        ledger.Delivered("o-2", At(30));

        var report = ledger.Reconcile([new ProducedOrder("o-1", At(0)), new ProducedOrder("o-2", At(5))]);

        Assert.Equal(2, report.Produced);
        Assert.Equal(2, report.Delivered);
        Assert.Equal(0, report.Duplicates);
        Assert.Empty(report.Lost);
        Assert.Equal(0, report.Unexpected);
        Assert.True(ledger.HasAll(["o-1", "o-2"]));
    }

    [Fact]
    public void Repeated_deliveries_count_as_duplicates_and_the_first_receive_time_sets_the_latency()
    {
        var ledger = new DeliveryLedger();
        ledger.Delivered("o-1", At(40));
        ledger.Delivered("o-1", At(20)); // reported out of order by another request thread
        ledger.Delivered("o-1", At(90));
        ledger.Delivered("o-2", At(15));

        var report = ledger.Reconcile([new ProducedOrder("o-1", At(0)), new ProducedOrder("o-2", At(0))]);

        Assert.Equal(2, ledger.DeliveredUnique);
        Assert.Equal(4, ledger.Deliveries);
        Assert.Equal(2, report.Delivered);
        Assert.Equal(2, report.Duplicates);
        Assert.Equal(TimeSpan.FromMilliseconds(20), report.Latency.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(15), report.Latency.P50);
    }

    [Fact]
    public void Produced_orders_never_delivered_are_lost_by_id_in_production_order()
    {
        var ledger = new DeliveryLedger();
        ledger.Delivered("o-2", At(10));

        var report = ledger.Reconcile([new ProducedOrder("o-1", At(0)), new ProducedOrder("o-2", At(1)), new ProducedOrder("o-3", At(2))]);

        Assert.Equal(3, report.Produced);
        Assert.Equal(1, report.Delivered);
        Assert.Equal(["o-1", "o-3"], report.Lost);
        Assert.False(ledger.HasAll(["o-1", "o-2"]));
        Assert.Equal(1, report.Latency.Count);
    }

    [Fact]
    public void Orders_this_run_did_not_produce_are_unexpected_not_delivered()
    {
        var ledger = new DeliveryLedger();
        ledger.Delivered("left-over", At(1));
        ledger.Delivered("o-1", At(5));

        var report = ledger.Reconcile([new ProducedOrder("o-1", At(0))]);

        Assert.Equal(1, report.Delivered);
        Assert.Equal(1, report.Unexpected);
        Assert.Equal(0, report.Duplicates);
        Assert.Empty(report.Lost);
    }

    [Fact]
    public void Throughput_is_delivered_orders_over_first_send_to_last_delivery_and_peak_is_the_busiest_second()
    {
        var ledger = new DeliveryLedger();
        var produced = new List<ProducedOrder>();
        for (var i = 0; i < 10; i++)
        {
            produced.Add(new ProducedOrder($"o-{i}", At(0)));
            // 7 orders within the first second, 3 in the fourth; the last arrives at 4 s.
            ledger.Delivered($"o-{i}", i < 7 ? At(100 + (i * 100)) : At(3_000 + ((i - 6) * 250)));
        }

        var report = ledger.Reconcile(produced);

        Assert.Equal(TimeSpan.FromSeconds(3.75), report.Window);
        Assert.Equal(10 / 3.75, report.Throughput, 6);
        Assert.Equal(7, report.PeakPerSecond);
    }

    [Fact]
    public void Nothing_produced_reports_zeros()
    {
        var report = new DeliveryLedger().Reconcile([]);

        Assert.Equal(0, report.Produced);
        Assert.Equal(0, report.Throughput);
        Assert.Equal(LatencyStats.Empty, report.Latency);
    }

    [Fact]
    public async Task Concurrent_deliveries_are_all_counted()
    {
        var ledger = new DeliveryLedger();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                ledger.Delivered($"o-{i}", At(i));
            }
        })));

        Assert.Equal(1_000, ledger.DeliveredUnique);
        Assert.Equal(8_000, ledger.Deliveries);
        Assert.Equal(7_000, ledger.Reconcile([.. Enumerable.Range(0, 1_000).Select(i => new ProducedOrder($"o-{i}", At(0)))]).Duplicates);
    }
}
