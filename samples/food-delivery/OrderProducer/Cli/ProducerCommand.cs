using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FoodDelivery.OrderProducer.Load;
using FoodDelivery.OrderProducer.Messages;
using CloudNative.CloudEvents;

namespace FoodDelivery.OrderProducer.Cli;

/// <summary>The command line: options into <see cref="ProducerOptions"/>, progress to the console.</summary>
internal static class ProducerCommand
{
    public static RootCommand Create(TextWriter output)
    {
        var endpoints = new Option<string>("--endpoints", "-e")
        {
            Description = "RocketMQ proxy gRPC address(es), host:port[;host:port]",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROCKETMQ_ENDPOINTS") ?? "127.0.0.1:8081",
        };
        var topic = new Option<string>("--topic", "-t") { Description = "Topic to send to", DefaultValueFactory = _ => "orders" };
        var rocketMqNamespace = new Option<string?>("--namespace") { Description = "RocketMQ namespace (instance id), if any" };
        var accessKey = new Option<string?>("--access-key")
        {
            Description = "ACL access key (default: $ROCKETMQ_ACCESS_KEY)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROCKETMQ_ACCESS_KEY"),
        };
        var secretKey = new Option<string?>("--secret-key")
        {
            Description = "ACL secret key (default: $ROCKETMQ_SECRET_KEY; prefer the variable, it stays out of shell history)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROCKETMQ_SECRET_KEY"),
        };
        var tls = new Option<bool>("--tls") { Description = "Use TLS to the proxy" };
        var format = new Option<MessageFormat>("--format", "-f")
        {
            Description = "json: the order as the body (the source makes the CloudEvent); cloudevents: a CloudEvent under the RocketMQ binding",
            DefaultValueFactory = _ => MessageFormat.Json,
        };
        var ceMode = new Option<ContentMode>("--ce-mode")
        {
            Description = "Content mode with --format cloudevents: binary (CE_ properties) or structured (JSON event body)",
            DefaultValueFactory = _ => ContentMode.Binary,
        };
        var peakRate = new Option<double>("--peak-rate", "-r") { Description = "Orders per second at the lunch peak", DefaultValueFactory = _ => 20 };
        var quietRate = new Option<double>("--quiet-rate") { Description = "Orders per second between meals (0 lets the service scale to zero)" };
        var duration = new Option<TimeSpan>("--duration", "-d")
        {
            Description = "The whole compressed day, e.g. 15m, 90s, 1h",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(15),
            CustomParser = ParseDuration,
        };
        var seed = new Option<int?>("--seed") { Description = "Seed for reproducible orders (default: random, printed at start)" };
        var cancelRatio = new Option<double>("--cancel-ratio") { Description = "Share of CANCELLED orders", DefaultValueFactory = _ => 0.1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sends in flight at once", DefaultValueFactory = _ => 16 };
        var maxOrders = new Option<int?>("--max-orders") { Description = "Stop after this many orders" };
        var trace = new Option<bool>("--trace") { Description = "Start a W3C trace per order (traceparent user property)" };

        var command = new RootCommand("Sends food orders to RocketMQ with a meal-time load profile (quiet, breakfast, lunch, dinner, quiet).")
        {
            endpoints, topic, rocketMqNamespace, accessKey, secretKey, tls, format, ceMode,
            peakRate, quietRate, duration, seed, cancelRatio, concurrency, maxOrders,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ProducerOptions
            {
                Endpoints = parse.GetRequiredValue(endpoints),
                Topic = parse.GetRequiredValue(topic),
                Namespace = parse.GetValue(rocketMqNamespace),
                AccessKey = parse.GetValue(accessKey),
                SecretKey = parse.GetValue(secretKey),
                Tls = parse.GetValue(tls),
                Format = parse.GetValue(format),
                CloudEventsMode = parse.GetValue(ceMode),
                PeakRate = parse.GetValue(peakRate),
                QuietRate = parse.GetValue(quietRate),
                Duration = parse.GetValue(duration),
                CancelRatio = parse.GetValue(cancelRatio),
                Concurrency = parse.GetValue(concurrency),
                MaxOrders = parse.GetValue(maxOrders),
                Trace = parse.GetValue(trace),
            };
            if (parse.GetValue(seed) is { } fixedSeed)
            {
                options.Seed = fixedSeed;
            }

            var problems = ProducerOptionsCheck.Problems(options);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await output.WriteLineAsync(problem);
                }

                return 1;
            }

            return await RunAsync(options, output, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ProducerOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var profile = new MealTimeLoadProfile(options.PeakRate, options.Duration, options.QuietRate);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sending to {options.Endpoints} topic={options.Topic} format={Describe(options)} peak={options.PeakRate}/s duration={DurationText.Format(options.Duration)} expected={profile.TotalExpectedOrders:0} orders seed={options.Seed}"));
        var progress = new SynchronousProgress(p => output.WriteLine(ProgressLine.Format(p)));
        ProducerRunResult result;
        try
        {
            result = await OrderProducerRunner.RunAsync(options, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync($"cannot produce to {options.Endpoints}: {e.GetType().Name}: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"done: sent={result.Sent} failed={result.Failed} in {DurationText.Format(result.Elapsed)}"));
        if (result.Failures.Count > 0)
        {
            await output.WriteLineAsync($"first failure: {result.Failures[0].OrderId}: {result.Failures[0].Error}");
        }

        return result.Failed == 0 ? 0 : 2;
    }

    private static string Describe(ProducerOptions options) =>
        options.Format == MessageFormat.Json ? "json" : $"cloudevents ({options.CloudEventsMode.ToString().ToLowerInvariant()})";

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration such as 90s, 15m or 1h30m");
        return TimeSpan.Zero;
    }

    /// <summary>Progress reported on the reporting thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<ProducerProgress> report) : IProgress<ProducerProgress>
    {
        public void Report(ProducerProgress value) => report(value);
    }
}
