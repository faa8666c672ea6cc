using System.Globalization;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>
/// One line of live progress. <see cref="InFlight"/> and <see cref="Backlog"/> come from the
/// embedded emulator (received by the adapter but not acked yet; stored but not received yet) and
/// are null against a real proxy.
/// </summary>
internal sealed record ProgressSnapshot(TimeSpan Elapsed, string Phase, long Produced, long Delivered, long? InFlight, long? Backlog, long DeliveredPerSecond)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Elapsed.TotalSeconds,5:0}s {Phase,-8} produced {Produced,6}  delivered {Delivered,6}  in flight {Count(InFlight),5}  backlog {Count(Backlog),5}  rate {DeliveredPerSecond,5}/s");

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
