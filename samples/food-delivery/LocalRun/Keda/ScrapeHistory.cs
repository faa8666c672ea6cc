namespace FoodDelivery.LocalRun.Keda;

/// <summary>
/// What Prometheus keeps of the broker's /metrics for the wake query: every scrape with its
/// (cluster) time, back as far as a query can look (its window plus Prometheus's 5 minute
/// lookback). An instant selector at a time reads the latest scrape within the lookback; a series
/// that scrape lacks is stale, so absent (Prometheus staleness). Pure apart from its list.
/// </summary>
internal sealed class ScrapeHistory(TimeSpan window)
{
    /// <summary>Prometheus's default --query.lookback-delta.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    private readonly List<Scrape> scrapes = [];

    public TimeSpan Window => window;

    public void Add(DateTimeOffset at, string prometheusText)
    {
        scrapes.Add(new Scrape(at, PrometheusText.Samples(prometheusText).ToList()));
        scrapes.RemoveAll(s => s.At <= at - window - Lookback);
    }

    /// <summary>The samples an instant selector sees at <paramref name="at"/>: those of the latest scrape within the lookback, or none.</summary>
    public IReadOnlyList<PrometheusSample> At(DateTimeOffset at) =>
        scrapes.Where(s => s.At <= at && s.At > at - Lookback).MaxBy(s => s.At)?.Samples ?? [];

    private sealed record Scrape(DateTimeOffset At, IReadOnlyList<PrometheusSample> Samples);
}
