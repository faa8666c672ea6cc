using System.Globalization;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// Bytes the adapter process has allocated so far, by the runtime's own counter
/// (dotnet.gc.heap.total_allocated of the System.Runtime meter, GC.GetTotalAllocatedBytes) read from
/// the adapter's Prometheus endpoint: the difference across a drain, per event, does not depend on
/// the machine's load.
/// </summary>
internal static class AllocatedBytes
{
    private const string Series = "dotnet_gc_heap_total_allocated_bytes_total";

    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The exporter answers a scrape from its cache for 300 ms (PrometheusAspNetCoreOptions.ScrapeResponseCacheDurationMilliseconds).</summary>
    private static readonly TimeSpan ScrapeCache = TimeSpan.FromMilliseconds(350);

    /// <summary>The counter now, by the process's first scrape (nothing cached yet).</summary>
    public static Task<long> FirstAsync(int metricsPort) => ReadAsync(metricsPort);

    /// <summary>The counter now: waits out the exporter's cache of the earlier scrape first.</summary>
    public static async Task<long> AgainAsync(int metricsPort)
    {
        await Task.Delay(ScrapeCache);
        return await ReadAsync(metricsPort);
    }

    private static async Task<long> ReadAsync(int metricsPort)
    {
        var text = await Client.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        foreach (var line in text.Split('\n'))
        {
            // "dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 123 1700000000000"
            if (line.StartsWith(Series, StringComparison.Ordinal) && line.Length > Series.Length && line[Series.Length] is '{' or ' ')
            {
                var value = line[(line.IndexOf('}') is var brace and >= 0 ? brace + 1 : Series.Length)..].Trim().Split(' ')[0];
                return (long)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"the adapter's /metrics has no {Series}");
    }
}
