using System.Globalization;
using System.Text;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>
/// One trip from zero and back: when the component was scaled up from zero, when its first
/// instance was ready (the cold start), its peak, and when it was back at zero (null: not by the end).
/// </summary>
internal sealed record ScalingCycle(TimeSpan Up, TimeSpan? FirstReady, int Peak, TimeSpan PeakAt, TimeSpan? Down);

/// <summary>The summary's scaling part: each component's cycles from zero and back, from the timeline's events. Pure.</summary>
internal static class ScalingSummary
{
    public static IReadOnlyList<ScalingCycle> Cycles(IReadOnlyList<ScaleEvent> scales, IReadOnlyList<ReadyEvent> readies, ScaledComponent component)
    {
        var cycles = new List<ScalingCycle>();
        ScalingCycle? open = null;
        foreach (var change in scales.Where(s => s.Component == component))
        {
            if (open is null)
            {
                if (change.From == 0 && change.To > 0)
                {
                    open = new ScalingCycle(change.At, null, change.To, change.At, null);
                }

                continue;
            }

            if (change.To > open.Peak)
            {
                open = open with { Peak = change.To, PeakAt = change.At };
            }

            if (change.To == 0)
            {
                cycles.Add(WithFirstReady(open with { Down = change.At }, readies, component));
                open = null;
            }
        }

        if (open is not null)
        {
            cycles.Add(WithFirstReady(open, readies, component));
        }

        return cycles;
    }

    /// <summary>"order service   0 -> 1 at 2.4 s, ready 0.8 s later; peak 4 at 2.5 s; back to 0 at 19.2 s", one line per cycle.</summary>
    public static string Render(IReadOnlyList<ScaleEvent> scales, IReadOnlyList<ReadyEvent> readies, ScaledComponent component, string readyWord)
    {
        var text = new StringBuilder();
        var cycles = Cycles(scales, readies, component);
        var label = ScalingTimeline.Name(component);
        if (cycles.Count == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {label,-16}never scaled from zero\n");
        }

        foreach (var (cycle, index) in cycles.Select((c, i) => (c, i)))
        {
            var ready = cycle.FirstReady is { } at ? $"{readyWord} {Seconds(at - cycle.Up)} later" : $"never {readyWord}";
            var down = cycle.Down is { } end ? $"back to 0 at {Seconds(end)}" : "not back to 0 by the end";
            text.Append(CultureInfo.InvariantCulture,
                $"  {(index == 0 ? label : string.Empty),-16}0 -> {Wanted(scales, component, cycle.Up)} at {Seconds(cycle.Up)}, {ready}; peak {cycle.Peak} at {Seconds(cycle.PeakAt)}; {down}\n");
        }

        return text.ToString();
    }

    private static ScalingCycle WithFirstReady(ScalingCycle cycle, IReadOnlyList<ReadyEvent> readies, ScaledComponent component)
    {
        var first = readies.FirstOrDefault(r => r.Component == component && r.Ready > 0 && r.At >= cycle.Up && (cycle.Down is null || r.At <= cycle.Down));
        return cycle with { FirstReady = first?.At };
    }

    private static int Wanted(IReadOnlyList<ScaleEvent> scales, ScaledComponent component, TimeSpan at) =>
        scales.First(s => s.Component == component && s.At == at && s.From == 0).To;

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s");
}
