using System.Diagnostics;
using System.Globalization;

namespace FoodDelivery.LocalRun.Reporting;

/// <summary>What is scaled: the order service's instances (Knative) or the adapter's replicas (KEDA).</summary>
internal enum ScaledComponent
{
    OrderService,
    Adapters,
}

/// <summary>An autoscaler (or the run) set the component's replicas from <see cref="From"/> to <see cref="To"/>.</summary>
internal sealed record ScaleEvent(TimeSpan At, ScaledComponent Component, int From, int To, string Reason);

/// <summary>The component's ready instances (serving, or consuming) became <see cref="Ready"/>.</summary>
internal sealed record ReadyEvent(TimeSpan At, ScaledComponent Component, int Ready);

/// <summary>
/// The run's scaling history: every change of the wanted replicas and of the ready ones, with
/// the time since the run started. Thread-safe: both fleets record from their own threads.
/// Each scale event is also written as one line when it happens.
/// </summary>
internal sealed class ScalingTimeline(Action<string>? onScale = null)
{
    private readonly Lock gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<ScaleEvent> scales = [];
    private readonly List<ReadyEvent> readies = [];

    /// <summary>When the run started, on the wall clock (order timestamps are wall-clock times).</summary>
    public DateTimeOffset Origin { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Elapsed => clock.Elapsed;

    public IReadOnlyList<ScaleEvent> Scales
    {
        get
        {
            lock (gate)
            {
                return [.. scales];
            }
        }
    }

    public IReadOnlyList<ReadyEvent> Readies
    {
        get
        {
            lock (gate)
            {
                return [.. readies];
            }
        }
    }

    public void Scaled(ScaledComponent component, int from, int to, string reason)
    {
        if (from == to)
        {
            return;
        }

        var change = new ScaleEvent(Elapsed, component, from, to, reason);
        lock (gate)
        {
            scales.Add(change);
        }

        onScale?.Invoke(Format(change));
    }

    public void ReadyChanged(ScaledComponent component, int ready)
    {
        lock (gate)
        {
            var last = readies.LastOrDefault(r => r.Component == component);
            if ((last?.Ready ?? 0) != ready)
            {
                readies.Add(new ReadyEvent(Elapsed, component, ready));
            }
        }
    }

    /// <summary>The wall-clock times at which the component had no ready instance, as [from, to) intervals (to null: until the end).</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset? To)> TimesWithoutReady(ScaledComponent component)
    {
        var intervals = new List<(DateTimeOffset, DateTimeOffset?)>();
        DateTimeOffset? zeroSince = Origin;
        foreach (var ready in Readies.Where(r => r.Component == component))
        {
            if (ready.Ready == 0 && zeroSince is null)
            {
                zeroSince = Origin + ready.At;
            }
            else if (ready.Ready > 0 && zeroSince is { } from)
            {
                intervals.Add((from, Origin + ready.At));
                zeroSince = null;
            }
        }

        if (zeroSince is { } open)
        {
            intervals.Add((open, null));
        }

        return intervals;
    }

    public static string Format(ScaleEvent change) => string.Create(CultureInfo.InvariantCulture,
        $"scale {change.At.TotalSeconds,7:0.0}s {Name(change.Component),-14}{change.From} -> {change.To}  ({change.Reason})");

    public static string Name(ScaledComponent component) => component == ScaledComponent.OrderService ? "order service" : "adapters";
}
