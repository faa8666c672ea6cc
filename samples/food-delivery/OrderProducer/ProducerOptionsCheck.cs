namespace FoodDelivery.OrderProducer;

/// <summary>What is wrong with a set of options, as sentences naming the command-line option.</summary>
internal static class ProducerOptionsCheck
{
    public static IReadOnlyList<string> Problems(ProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Endpoints))
        {
            problems.Add("--endpoints is required");
        }

        if (string.IsNullOrWhiteSpace(options.Topic))
        {
            problems.Add("--topic is required");
        }

        if (!(options.PeakRate > 0) || double.IsInfinity(options.PeakRate))
        {
            problems.Add("--peak-rate must be a positive number");
        }

        if (!(options.QuietRate >= 0) || double.IsInfinity(options.QuietRate))
        {
            problems.Add("--quiet-rate must not be negative");
        }

        if (options.Duration <= TimeSpan.Zero)
        {
            problems.Add("--duration must be positive");
        }

        if (!(options.CancelRatio is >= 0 and <= 1))
        {
            problems.Add("--cancel-ratio must be between 0 and 1");
        }

        if (options.Concurrency < 1)
        {
            problems.Add("--concurrency must be at least 1");
        }

        if (options.MaxOrders is < 1)
        {
            problems.Add("--max-orders must be at least 1");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            problems.Add("--access-key and --secret-key go together");
        }

        return problems;
    }
}
