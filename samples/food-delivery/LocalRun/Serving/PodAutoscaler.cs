namespace FoodDelivery.LocalRun.Serving;

/// <summary>The PodAutoscaler's Active condition: Inactive (False), Activating (Unknown) or Active (True).</summary>
internal enum Activity
{
    Inactive,
    Activating,
    Active,
}

/// <summary>The Active condition and when it last changed (its lastTransitionTime).</summary>
internal sealed record ActiveCondition(Activity Activity, DateTimeOffset Since)
{
    public TimeSpan For(DateTimeOffset now) => now - Since;
}

/// <summary>What the KPA reconciler does with the decider's number: <see cref="Want"/> instances, written to the Deployment only when <see cref="Apply"/>.</summary>
internal readonly record struct ScaleDecision(int Want, bool Apply);

/// <summary>
/// The KPA reconciler's rules around the decider (pure; the caller passes the time): bounds,
/// the road to zero, and the Active condition. Scale to zero needs the revision to have been
/// Active for a stable window (then it is marked Inactive instead of scaled), and Inactive for
/// the grace period and the last-pod retention, with the activator in the request path for the
/// grace period (knative/serving pkg/reconciler/autoscaling/kpa/scaler.go scale and
/// handleScaleToZero; the condition from kpa.go computeActiveCondition).
/// </summary>
internal static class PodAutoscaler
{
    /// <summary>kpa/scaler.go scaleUnknown: the scale is not known yet.</summary>
    public const int ScaleUnknown = -1;

    /// <summary>
    /// The scale for the decider's <paramref name="desired"/> (<see cref="ScaleUnknown"/> before
    /// it has data). <paramref name="activatorInPathFor"/> is how long the activator has been in
    /// the request path (the ServerlessService's proxy mode).
    /// </summary>
    public static ScaleDecision Scale(KpaSettings settings, ActiveCondition active, int desired, TimeSpan activatorInPathFor, DateTimeOffset now)
    {
        if (desired < 0 && active.Activity != Activity.Activating)
        {
            // Metrics are not being collected yet.
            return new(desired, false);
        }

        return HandleScaleToZero(settings, active, ApplyBounds(settings.MinScale, settings.MaxScale, desired), activatorInPathFor, now);
    }

    /// <summary>min-scale and max-scale (max 0: unbounded).</summary>
    public static int ApplyBounds(int min, int max, int x) => x < min ? min : max != 0 && x > max ? max : x;

    /// <summary>Whether and when zero may be applied: every other number is applied at once.</summary>
    public static ScaleDecision HandleScaleToZero(KpaSettings settings, ActiveCondition active, int desired, TimeSpan activatorInPathFor, DateTimeOffset now)
    {
        if (desired != 0)
        {
            return new(desired, true);
        }

        switch (active.Activity)
        {
            case Activity.Activating:
                // Stuck activating past the progress deadline: give up, scale to zero.
                return active.For(now) > settings.ActivationTimeout ? new(0, true) : new(ScaleUnknown, false);
            case Activity.Active:
                // Idle for a stable window: mark it inactive first (0, not applied); until then keep one instance.
                return active.For(now) >= settings.StableWindow ? new(0, false) : new(1, true);
            default:
                var lastPodRetention = settings.ScaleToZeroPodRetention;
                if (active.For(now) >= Max(settings.ScaleToZeroGracePeriod, lastPodRetention))
                {
                    return new(0, true);
                }

                if (lastPodRetention > TimeSpan.Zero && active.For(now) < lastPodRetention)
                {
                    return new(0, false);
                }

                // The activator must have been in the path for the grace period.
                return settings.ScaleToZeroGracePeriod - activatorInPathFor <= TimeSpan.Zero ? new(0, true) : new(0, false);
        }
    }

    /// <summary>
    /// The Active condition after a reconcile that wants <paramref name="want"/> instances with
    /// <paramref name="ready"/> ready (one ready instance makes it active; min-scale 0).
    /// </summary>
    public static ActiveCondition ComputeActive(ActiveCondition active, int ready, int want, DateTimeOffset now)
    {
        const int minReady = 1;
        var next = want == 0 ? Activity.Inactive
            : ready < minReady ? (want > 0 || active.Activity != Activity.Inactive ? Activity.Activating : Activity.Inactive)
            : (want > 0 || active.Activity != Activity.Inactive ? Activity.Active : active.Activity);
        return next == active.Activity ? active : new ActiveCondition(next, now);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
