using System.Globalization;

namespace FoodDelivery.OrderProducer.Cli;

/// <summary>The once-a-second console line: elapsed, the profile's target rate, what was really sent.</summary>
internal static class ProgressLine
{
    public static string Format(ProducerProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.Elapsed.TotalSeconds,6:0}s  target {progress.TargetRate,7:0.0}/s  sent/s {progress.SentPerSecond,5}  total {progress.Sent,7}  failed {progress.Failed}");
    }
}
