using System.Globalization;

/// <summary>
/// The controller's own Prometheus metrics, scraped: successful reconciles, the work queue's depth
/// and its processing-duration histogram (kn_workqueue_*, as knative/pkg names them).
/// </summary>
internal sealed class ControllerMetrics(HttpClient http, Uri endpoint)
{
    public async Task<Reading> ReadAsync()
    {
        var text = await http.GetStringAsync(endpoint);
        double Value(string name, string? label = null) =>
            text.Split('\n')
                .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is '{' or ' ') && (label is null || l.Contains(label, StringComparison.Ordinal)))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return new Reading(
            (long)Value("rocketmqsource_controller_reconciles_total", "result=\"success\""),
            (long)Value("rocketmqsource_controller_reconciles_total", "result=\"error\""),
            (long)Value("kn_workqueue_depth"),
            Value("kn_workqueue_process_duration_seconds_sum"),
            (long)Value("kn_workqueue_process_duration_seconds_count"));
    }

    /// <summary>The queue is empty and no reconcile finished for a second.</summary>
    public async Task WaitForIdleAsync()
    {
        var last = await ReadAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var now = await ReadAsync();
            if (now.Depth == 0 && now.DurationCount == last.DurationCount)
            {
                return;
            }

            last = now;
        }

        throw new TimeoutException("the controller did not become idle within 5 minutes");
    }

    public async Task WaitForAsync(Func<Reading, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!done(await ReadAsync()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    internal sealed record Reading(long Successes, long Errors, long Depth, double DurationSeconds, long DurationCount);
}
