using System.Globalization;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>Ready and wanted instances of one scaled component, as "ready/wanted".</summary>
internal readonly record struct Replicas(int Ready, int Wanted)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ready}/{Wanted}");
}

/// <summary>
/// One line of live progress. <see cref="InFlight"/> and <see cref="Backlog"/> come from the
/// embedded emulator (received by the adapter but not acked yet; stored but not received yet) and
/// are null against a real proxy. <see cref="Service"/> and <see cref="Adapters"/> are the order
/// service's instances (ready to serve) and the adapter replicas (consuming), each against what
/// its autoscaler wants.
/// </summary>
internal sealed record ProgressSnapshot(
    TimeSpan Elapsed, string Phase, long Produced, long Delivered, long? InFlight, long? Backlog, long DeliveredPerSecond, Replicas Service, Replicas Adapters)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Elapsed.TotalSeconds,5:0}s {Phase,-8} produced {Produced,6}  delivered {Delivered,6}  in flight {Count(InFlight),5}  backlog {Count(Backlog),5}  rate {DeliveredPerSecond,5}/s  service {Service,-5}  adapters {Adapters}");

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
