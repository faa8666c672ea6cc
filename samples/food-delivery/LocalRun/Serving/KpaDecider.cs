namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// The Knative Pod Autoscaler's decision (knative/serving pkg/autoscaler/scaling/autoscaler.go
/// Scale): from the metric averaged over the stable and the panic window, the instances wanted
/// are ceil(value / target), kept within the scale-up and scale-down rates. When the panic
/// window wants at least twice the ready instances the decider panics: it follows the panic
/// window, never scales down, and stays so until a stable window has passed without that surge.
/// Pure apart from its panic state; the caller passes the time.
/// </summary>
internal sealed class KpaDecider
{
    private readonly KpaSettings settings;
    private DateTimeOffset? panicSince;
    private int maxPanicPods;

    /// <param name="readyAtStart">A decider created over more than one ready instance starts in panic, so a restart never scales down before it has data.</param>
    public KpaDecider(KpaSettings settings, DateTimeOffset now, int readyAtStart = 0)
    {
        this.settings = settings;
        if (readyAtStart > 1)
        {
            panicSince = now;
            maxPanicPods = readyAtStart;
        }
    }

    /// <summary>When panic mode began (or was last extended); null in stable mode.</summary>
    public DateTimeOffset? PanicSince => panicSince;

    /// <summary>The instances wanted now, given the ready instances and the stable and panic averages of the metric.</summary>
    public int Scale(DateTimeOffset now, int readyInstances, double observedStable, double observedPanic)
    {
        // With no instance, decide as if there were one (the activator holds the requests meanwhile).
        var ready = Math.Max(1.0, readyInstances);
        var maxScaleUp = Math.Ceiling(settings.MaxScaleUpRate * ready);
        var maxScaleDown = Math.Floor(ready / settings.MaxScaleDownRate);

        var stableWanted = Math.Ceiling(observedStable / settings.TargetValue);
        var panicWanted = Math.Ceiling(observedPanic / settings.TargetValue);
        var desiredStable = (int)Math.Min(Math.Max(stableWanted, maxScaleDown), maxScaleUp);
        var desiredPanic = (int)Math.Min(Math.Max(panicWanted, maxScaleDown), maxScaleUp);

        var overPanicThreshold = panicWanted / ready >= settings.PanicThreshold;
        if (overPanicThreshold)
        {
            // Begin panicking, or extend the panic while the surge lasts.
            panicSince = now;
        }
        else if (panicSince is { } since && since + settings.StableWindow < now)
        {
            // The surge has made its way into the stable window: back to stable mode.
            panicSince = null;
            maxPanicPods = 0;
        }

        var desired = desiredStable;
        if (panicSince is not null)
        {
            // Provision for the larger of the two, and never scale down while panicking.
            desired = Math.Max(desired, desiredPanic);
            maxPanicPods = Math.Max(maxPanicPods, desired);
            desired = maxPanicPods;
        }

        return desired;
    }
}
