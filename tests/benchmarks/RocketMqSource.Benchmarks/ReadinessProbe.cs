using System.Diagnostics;
using System.Net;

namespace RocketMqSource.Benchmarks;

/// <summary>Polls an adapter's /readiness as the kubelet would, only far more often, to time start → ready.</summary>
internal static class ReadinessProbe
{
    /// <summary>Stopwatch timestamp of the first 200 from /readiness.</summary>
    public static async Task<long> WaitAsync(int healthPort, ChildProcess process, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var uri = new Uri($"http://127.0.0.1:{healthPort}/readiness");
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(uri);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the second.
            }

            // 2 ms between probes: the start-up being timed is a few hundred milliseconds at most.
            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }

        throw new InvalidOperationException($"/readiness on port {healthPort} never answered 200\n{process.RecentOutput}");
    }
}
