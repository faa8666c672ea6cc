using System.Globalization;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// The Knative Pod Autoscaler for the order service, on the compressed clock: every scrape
/// interval it records what the activator front saw into the stable and panic windows; every
/// tick (and at once when a request is held while no instance is wanted) the decider picks the
/// instances and the reconciler's rules decide what the Deployment gets. The rules are
/// <see cref="KpaDecider"/>, <see cref="MetricWindow"/> and <see cref="PodAutoscaler"/>; this
/// class only feeds and applies them.
/// </summary>
internal sealed class KnativeAutoscaler : IDisposable
{
    private readonly KpaSettings settings;
    private readonly CompressedClock clock;
    private readonly ActivatorFront front;
    private readonly ServiceFleet fleet;
    private readonly SemaphoreSlim poked = new(0, 1);
    private readonly MetricWindow stable;
    private readonly MetricWindow panic;
    private readonly KpaDecider decider;
    private readonly DateTimeOffset activatorInPathSince;
    private ActiveCondition active;
    private int desired = PodAutoscaler.ScaleUnknown;

    public KnativeAutoscaler(KpaSettings settings, CompressedClock clock, ActivatorFront front, ServiceFleet fleet)
    {
        this.settings = settings;
        this.clock = clock;
        this.front = front;
        this.fleet = fleet;
        var now = clock.GetUtcNow();
        stable = new MetricWindow(settings.StableWindow, KpaSettings.ScrapeInterval);
        panic = new MetricWindow(settings.PanicWindow, KpaSettings.ScrapeInterval);
        decider = new KpaDecider(settings, now, fleet.Ready);
        active = new ActiveCondition(fleet.Ready > 0 ? Activity.Active : Activity.Inactive, now);
        activatorInPathSince = now;
        front.Holding += Poke;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var scrapes = new PeriodicTimer(KpaSettings.ScrapeInterval, clock);
        var ticksPerDecision = (int)(KpaSettings.TickInterval / KpaSettings.ScrapeInterval);
        var scrape = 0;
        try
        {
            var tick = scrapes.WaitForNextTickAsync(cancellationToken).AsTask();
            var poke = poked.WaitAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var wokenBy = await Task.WhenAny(tick, poke);
                await wokenBy;
                var isTick = wokenBy == tick;
                if (isTick)
                {
                    tick = scrapes.WaitForNextTickAsync(cancellationToken).AsTask();
                    scrape++;
                }
                else
                {
                    poke = poked.WaitAsync(cancellationToken);
                }

                Scrape();
                if (!isTick || scrape % ticksPerDecision == 0)
                {
                    Decide(isTick ? "KPA" : "KPA, poked by the activator");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
        finally
        {
            front.Holding -= Poke;
        }
    }

    /// <summary>
    /// A scrape records a stat only when there is something to scrape: a ready instance, or
    /// requests at the activator (the scraper records nothing for a revision without pods,
    /// pkg/autoscaler/metrics/stats_scraper.go, collector.go record).
    /// </summary>
    private void Scrape()
    {
        var now = clock.GetUtcNow();
        var stat = front.TakeStat();
        if (fleet.Ready == 0 && stat.Requests == 0 && stat.AverageConcurrency == 0)
        {
            return;
        }

        var value = settings.Metric == KpaMetric.Rps ? stat.Requests : stat.AverageConcurrency;
        stable.Record(now, value);
        panic.Record(now, value);
    }

    private void Decide(string by)
    {
        var now = clock.GetUtcNow();
        var ready = fleet.Ready;
        string why;
        if (stable.IsEmpty(now))
        {
            // No data: the decider's result is not valid, the last one stands.
            why = "no data";
        }
        else
        {
            var stableValue = stable.WindowAverage(now);
            var panicValue = panic.WindowAverage(now);
            Volatile.Write(ref desired, decider.Scale(now, ready, stableValue, panicValue));
            why = string.Create(CultureInfo.InvariantCulture,
                $"{by}: {Unit()} {stableValue:0.#} stable, {panicValue:0.#} panic, target {settings.TargetValue:0.##}/instance{(decider.PanicSince is null ? string.Empty : ", panicking")}");
        }

        var decision = PodAutoscaler.Scale(settings, active, desired, now - activatorInPathSince, now);
        if (decision.Apply && decision.Want != fleet.Desired)
        {
            fleet.ScaleTo(decision.Want, decision.Want == 0 ? $"KPA: idle, inactive for the last-pod retention" : why);
        }

        active = PodAutoscaler.ComputeActive(active, ready, decision.Want, now);
    }

    public void Dispose() => poked.Dispose();

    private string Unit() => settings.Metric == KpaMetric.Rps ? "rps" : "concurrency";

    /// <summary>Only a revision wanted at zero is poked (multiscaler.go Poke: latestScale == 0).</summary>
    private void Poke()
    {
        if (Volatile.Read(ref desired) <= 0 && poked.CurrentCount == 0)
        {
            try
            {
                poked.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already poked.
            }
        }
    }
}
