using System.Globalization;
using System.Net;
using FoodDelivery.LocalRun.Processes;

namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// KEDA and its HPA for the adapter Deployment, on the compressed clock: every polling interval
/// KEDA reads its two triggers from the broker's /metrics (here the emulator's), the backlog and
/// the wake query, and owns 0 ↔ 1; every HPA sync the HPA reads the same values (through KEDA's
/// metrics server) and owns 1 ↔ max. Each read is also a scrape kept for the wake query's window.
/// The rules are <see cref="KedaScaleExecutor"/> and <see cref="HorizontalPodAutoscaler"/>; this
/// class only reads the metrics and applies them.
/// </summary>
internal sealed class KedaAutoscaler : IDisposable
{
    private readonly ScaledObjectSettings settings;
    private readonly CompressedClock clock;
    private readonly AdapterFleet fleet;
    private readonly Uri metrics;
    private readonly string topic;
    private readonly string consumerGroup;
    private readonly HorizontalPodAutoscaler hpa;
    private readonly ScrapeHistory scrapes;
    private readonly SemaphoreSlim deciding = new(1, 1);
    private readonly HttpClient http = new()
    {
        // The emulator serves gRPC and /metrics on one HTTP/2 cleartext port.
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(5),
    };

    private ScaledObjectStatus status;

    public KedaAutoscaler(ScaledObjectSettings settings, CompressedClock clock, AdapterFleet fleet, Uri metrics, string topic, string consumerGroup)
    {
        this.settings = settings;
        this.clock = clock;
        this.fleet = fleet;
        this.metrics = metrics;
        this.topic = topic;
        this.consumerGroup = consumerGroup;
        hpa = new HorizontalPodAutoscaler(settings);
        scrapes = new ScrapeHistory(settings.WakeWindow);
        status = new ScaledObjectStatus(clock.GetUtcNow());
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(EveryAsync(settings.PollingInterval, PollAsync, cancellationToken), EveryAsync(settings.HpaSyncPeriod, SyncHpaAsync, cancellationToken));

    /// <summary>Whether the broker exports the group's backlog yet (it does once a consumer of the group subscribed).</summary>
    public async Task<bool> BrokerKnowsGroupAsync(CancellationToken cancellationToken) =>
        BacklogQuery.Knows(await http.GetStringAsync(metrics, cancellationToken), topic, consumerGroup);

    public void Dispose()
    {
        deciding.Dispose();
        http.Dispose();
    }

    /// <summary>One KEDA poll: activation 0 → 1, or 1..N → 0 after the cooldown.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var (backlog, wake) = await ReadTriggersAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var active = KedaScaleExecutor.IsActive(backlog, wake, settings);
        var decision = KedaScaleExecutor.RequestScale(settings, status, fleet.Desired, active, now);
        var neverActive = status.LastActiveTime is null;
        status = decision.Status;
        if (decision.ScaleTo is { } replicas)
        {
            var why = replicas > 0
                ? backlog > settings.ActivationThreshold
                    ? string.Create(CultureInfo.InvariantCulture, $"KEDA: backlog {backlog:0} > activation threshold {settings.ActivationThreshold:0}")
                    : string.Create(CultureInfo.InvariantCulture, $"KEDA: wake, new messages within the last {settings.WakeWindow.TotalSeconds:0} s (backlog {backlog:0})")
                : neverActive
                    ? string.Create(CultureInfo.InvariantCulture, $"KEDA: backlog {backlog:0} since the ScaledObject was created (initial cooldown {settings.InitialCooldownPeriod.TotalSeconds:0} s)")
                    : string.Create(CultureInfo.InvariantCulture, $"KEDA: backlog {backlog:0} for the cooldown of {settings.CooldownPeriod.TotalSeconds:0} s");
            fleet.ScaleTo(replicas, why);
        }
    }

    /// <summary>One HPA sync: the higher of ceil(backlog / threshold) and ceil(wake / 1), stabilised, between 1 and max.</summary>
    private async Task SyncHpaAsync(CancellationToken cancellationToken)
    {
        var (backlog, wake) = await ReadTriggersAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (hpa.Sync(fleet.Desired, fleet.Running, [(backlog, settings.Threshold), (wake, settings.WakeThreshold)], now) is { } replicas)
        {
            fleet.ScaleTo(replicas, string.Create(CultureInfo.InvariantCulture,
                $"HPA: ceil(backlog {backlog:0} / {settings.Threshold:0}), highest of the last {settings.HpaDownscaleStabilization.TotalSeconds:0} s"));
        }
    }

    private async Task<(double Backlog, double Wake)> ReadTriggersAsync(CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(metrics, cancellationToken);
        var now = clock.GetUtcNow();
        scrapes.Add(now, text);
        return (BacklogQuery.Evaluate(text, topic, consumerGroup), WakeQuery.Evaluate(scrapes, now, topic));
    }

    /// <summary>Runs <paramref name="step"/> every <paramref name="period"/> of cluster time, one decision at a time; a failed read skips that round, as KEDA does on a scaler error.</summary>
    private async Task EveryAsync(TimeSpan period, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            do
            {
                await deciding.WaitAsync(cancellationToken);
                try
                {
                    await step(cancellationToken);
                }
                catch (HttpRequestException)
                {
                    // The metrics could not be read this round.
                }
                finally
                {
                    deciding.Release();
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
