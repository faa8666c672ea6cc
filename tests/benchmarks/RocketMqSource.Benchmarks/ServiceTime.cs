using System.Globalization;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// The adapter's own time on a message, from its exported histogram
/// <c>rocketmqsource.message.service.duration</c> (Prometheus text on its metrics port): bucket
/// counts by stage, read before and after a phase; percentiles of the difference, interpolated
/// linearly inside the bucket they fall in.
/// </summary>
internal sealed class ServiceTime
{
    private const string Buckets = "rocketmqsource_message_service_duration_seconds_bucket{";

    private readonly Dictionary<(string Stage, double UpperBound), double> cumulative;

    private ServiceTime(Dictionary<(string, double), double> cumulative) => this.cumulative = cumulative;

    public static async Task<ServiceTime> ScrapeAsync(int metricsPort)
    {
        using var http = new HttpClient();
        return Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}/metrics")));
    }

    public static ServiceTime Parse(string prometheusText)
    {
        var counts = new Dictionary<(string, double), double>();
        foreach (var line in prometheusText.Split('\n'))
        {
            if (!line.StartsWith(Buckets, StringComparison.Ordinal) || Label(line, "stage") is not { } stage || Label(line, "le") is not { } le)
            {
                continue;
            }

            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            // "name{labels} value [timestamp]"
            var value = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            counts[(stage, bound)] = counts.GetValueOrDefault((stage, bound)) + value;
        }

        return new ServiceTime(counts);
    }

    /// <summary>The <paramref name="percentile"/> of the measurements of <paramref name="stage"/> since <paramref name="before"/>, in ms (0 when there are none).</summary>
    public double PercentileMs(ServiceTime before, string stage, double percentile)
    {
        var buckets = cumulative.Where(entry => entry.Key.Stage == stage)
            .Select(entry => (Bound: entry.Key.UpperBound, Count: entry.Value - before.cumulative.GetValueOrDefault(entry.Key)))
            .OrderBy(bucket => bucket.Bound)
            .ToList();
        var total = buckets.Count > 0 ? buckets[^1].Count : 0;
        if (total <= 0)
        {
            return 0;
        }

        var rank = percentile / 100 * total;
        var (lowerBound, lowerCount) = (0.0, 0.0);
        foreach (var (bound, count) in buckets)
        {
            if (count >= rank)
            {
                // Past the last finite bound only "more than it" is known: report that bound.
                return double.IsPositiveInfinity(bound) ? lowerBound * 1000
                    : (lowerBound + ((bound - lowerBound) * (rank - lowerCount) / Math.Max(count - lowerCount, 1e-9))) * 1000;
            }

            (lowerBound, lowerCount) = (bound, count);
        }

        return lowerBound * 1000;
    }

    private static string? Label(string line, string name)
    {
        var start = line.IndexOf($"{name}=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }
}
