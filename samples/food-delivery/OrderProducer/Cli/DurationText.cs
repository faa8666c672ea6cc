using System.Globalization;
using RocketMqSource.Contract;

namespace FoodDelivery.OrderProducer.Cli;

/// <summary>Go-style durations as kubectl and Knative write them ("90s", "15m", "1h30m", "500ms"), for the command lines.</summary>
public static class DurationText
{
    /// <summary>A positive Go duration (the contract's parser, as the adapter reads its variables).</summary>
    public static bool TryParse(string text, out TimeSpan duration) =>
        Durations.TryParseGo(text, out duration) && duration > TimeSpan.Zero;

    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes}m{duration.Seconds}s"
        : duration.TotalMinutes >= 1 ? $"{duration.Minutes}m{duration.Seconds}s"
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
}
