namespace RocketMqSource.Benchmarks;

/// <summary>
/// Folds N runs into one table: each metric's value is the median of its runs' values (ratios are
/// same-run ratios first, then their median), and met / not met is decided from that median.
/// </summary>
internal static class MedianOfRuns
{
    public static IReadOnlyList<Metric> Combine(IReadOnlyList<IReadOnlyList<Metric>> runs)
    {
        if (runs.Count == 1)
        {
            return runs[0];
        }

        var byKey = runs.SelectMany(run => run).GroupBy(metric => metric.Key);
        return byKey.Select(values =>
        {
            var samples = values.Select(metric => metric.Value).ToArray();
            return values.First() with { Value = Median(samples), Runs = samples };
        }).ToList();
    }

    /// <summary>The middle value; for an even count, the mean of the two middle values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
