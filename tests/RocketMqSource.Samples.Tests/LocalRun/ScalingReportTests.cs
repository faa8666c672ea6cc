using FoodDelivery.LocalRun.Ledger;
using FoodDelivery.LocalRun.Reporting;
using FoodDelivery.LocalRun.Serving;
using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Logging;

namespace RocketMqSource.Samples.Tests.LocalRun;

/// <summary>What the run reports about scaling: the cycles from zero and back, the cold-start waits, and the order lines it learns from.</summary>
public sealed class ScalingReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Each_trip_from_zero_reports_its_cold_start_its_peak_and_its_return_to_zero()
    {
        ScaleEvent[] scales =
        [
            new(S(0.2), ScaledComponent.Adapters, 0, 1, "deployment"),
            new(S(2.6), ScaledComponent.Adapters, 1, 0, "KEDA"),
            new(S(8.5), ScaledComponent.Adapters, 0, 1, "KEDA"),
            new(S(9.0), ScaledComponent.OrderService, 0, 4, "KPA"),
            new(S(10.0), ScaledComponent.Adapters, 1, 2, "HPA"),
            new(S(11.0), ScaledComponent.Adapters, 2, 3, "HPA"),
            new(S(13.0), ScaledComponent.Adapters, 3, 0, "KEDA"),
        ];
        ReadyEvent[] readies =
        [
            new(S(1.9), ScaledComponent.Adapters, 1),
            new(S(2.7), ScaledComponent.Adapters, 0),
            new(S(9.7), ScaledComponent.Adapters, 1),
            new(S(10.1), ScaledComponent.OrderService, 1),
        ];

        var adapters = ScalingSummary.Cycles(scales, readies, ScaledComponent.Adapters);
        var service = ScalingSummary.Cycles(scales, readies, ScaledComponent.OrderService);

        Assert.Equal([new ScalingCycle(S(0.2), S(1.9), 1, S(0.2), S(2.6)), new ScalingCycle(S(8.5), S(9.7), 3, S(11.0), S(13.0))], adapters);
        Assert.Equal([new ScalingCycle(S(9.0), S(10.1), 4, S(9.0), null)], service);
        Assert.Equal(
            "  adapters        0 -> 1 at 0.2 s, consuming 1.7 s later; peak 1 at 0.2 s; back to 0 at 2.6 s\n"
            + "                  0 -> 1 at 8.5 s, consuming 1.2 s later; peak 3 at 11.0 s; back to 0 at 13.0 s\n",
            ScalingSummary.Render(scales, readies, ScaledComponent.Adapters, "consuming"));
        Assert.Equal(
            "  order service   0 -> 4 at 9.0 s, ready 1.1 s later; peak 4 at 9.0 s; not back to 0 by the end\n",
            ScalingSummary.Render(scales, readies, ScaledComponent.OrderService, "ready"));
    }

    [Fact]
    public void A_component_never_scaled_says_so()
    {
        Assert.Equal("  order service   never scaled from zero\n", ScalingSummary.Render([], [], ScaledComponent.OrderService, "ready"));
    }

    [Fact]
    public void The_times_without_a_ready_instance_run_from_the_start_until_ready_and_from_zero_again_to_the_end()
    {
        var timeline = new ScalingTimeline();
        timeline.ReadyChanged(ScaledComponent.Adapters, 1);
        timeline.ReadyChanged(ScaledComponent.Adapters, 0);

        var down = timeline.TimesWithoutReady(ScaledComponent.Adapters);

        Assert.Equal(2, down.Count);
        Assert.Equal(timeline.Origin, down[0].From);
        Assert.NotNull(down[0].To);
        Assert.Null(down[1].To);
        Assert.Single(timeline.TimesWithoutReady(ScaledComponent.OrderService));
    }

    [Theory]
    [InlineData(0, 1, 0)]    // sent and delivered while everything ran
    [InlineData(9, 12, 1)]   // waited from its send at 9 s to the adapter consuming at 10 s
    [InlineData(9, 15, 3)]   // and then for an instance from 13 s to 15 s: 1 + 2
    [InlineData(12.5, 16, 2)] // only the instance's cold start, from 13 s to 15 s
    public void The_cold_start_wait_is_the_part_of_the_latency_spent_while_a_component_had_nothing_ready(double sent, double received, double waited)
    {
        (DateTimeOffset, DateTimeOffset?)[] down =
        [
            (T0.AddSeconds(5), T0.AddSeconds(10)),   // no adapter consuming
            (T0.AddSeconds(13), T0.AddSeconds(15)),  // no order-service instance ready
            (T0.AddSeconds(14), T0.AddSeconds(14.5)), // overlapping: counted once
            (T0.AddSeconds(30), null),
        ];

        Assert.Equal(S(waited), ColdStartWait.Of(T0.AddSeconds(sent), T0.AddSeconds(received), down));
    }

    [Fact]
    public void The_ledger_shows_the_cold_start_waits_apart_and_the_latency_without_them()
    {
        var ledger = new DeliveryLedger();
        ledger.Delivered("warm", T0.AddMilliseconds(10));
        ledger.Delivered("cold", T0.AddSeconds(3));

        var report = ledger.Reconcile(
            [new ProducedOrder("warm", T0), new ProducedOrder("cold", T0)],
            (order, _) => order.OrderId == "cold" ? S(2.5) : TimeSpan.Zero);
        var text = new RunSummary(report, 0, false).Render();

        Assert.Equal(1, report.ColdStartWaits.Count);
        Assert.Equal(S(2.5), report.ColdStartWaits.Max);
        Assert.Equal(S(0.5), report.LatencyWithoutColdStarts.Max);
        Assert.Equal(S(3), report.Latency.Max);
        Assert.Contains("  cold-start wait     1 orders  p50 2500 ms  p90 2500 ms  max 2500 ms\n", text, StringComparison.Ordinal);
        Assert.Contains("  latency less wait   p50 10 ms  p90 500 ms  p99 500 ms  max 500 ms\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_order_services_accepted_line_gives_the_order_its_arrival_and_its_trace_id()
    {
        var trace = new System.Diagnostics.ActivityContext(
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded);
        var delivery = new DeliveryOrder("dlv-ORD-1", "ORD-1", DeliveryOrder.Dispatch, [], 12.5m, "+4915112345678", T0.AddMinutes(30));
        var line = OrderLogLine.Accepted(T0.AddMilliseconds(1.5), "msg-1", "dev.knative.rocketmq.event", "PAID", delivery, trace);

        var entry = OrderLogEntry.Parse(line);

        Assert.NotNull(entry);
        Assert.Equal("ORD-1", entry.OrderId);
        Assert.Equal(T0.AddMilliseconds(1.5), entry.ReceivedAt);
        Assert.Equal(trace.TraceId.ToHexString(), entry.TraceId);
        Assert.Equal(line, entry.Line);
        Assert.Null(OrderLogEntry.Parse(OrderLogLine.Listening(T0, "http://127.0.0.1:1")));
        Assert.Null(OrderLogEntry.Parse(OrderLogLine.Rejected(T0, 400, "msg-2", "data", "bad")));
        Assert.Null(OrderLogEntry.Parse("Unhandled exception."));
    }
}
