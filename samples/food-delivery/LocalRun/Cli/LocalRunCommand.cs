using System.CommandLine;
using System.CommandLine.Parsing;
using FoodDelivery.OrderProducer.Cli;
using FoodDelivery.OrderProducer.Messages;

namespace FoodDelivery.LocalRun.Cli;

/// <summary>The command line of the local run: options into <see cref="LocalRunOptions"/>.</summary>
internal static class LocalRunCommand
{
    public const int ExitBadOptions = 2;

    public static RootCommand Create(TextWriter output)
    {
        var duration = new Option<TimeSpan?>("--duration", "-d")
        {
            Description = "The compressed meal-time day to produce (default 30s; 4s with --short)",
            CustomParser = ParseDuration,
        };
        var peakRate = new Option<double?>("--peak-rate", "-r") { Description = "Orders per second at the lunch peak (default 100; 50 with --short)" };
        var format = new Option<MessageFormat>("--format", "-f")
        {
            Description = "json: the order is the message body; cloudevents: a CloudEvent under the RocketMQ binding",
            DefaultValueFactory = _ => MessageFormat.Json,
        };
        var endpoints = new Option<string?>("--endpoints", "-e") { Description = "A real RocketMQ 5 proxy, host:port[;host:port] (default: the embedded emulator)" };
        var accessKey = new Option<string?>("--access-key")
        {
            Description = "ACL access key for a real proxy (default: $ROCKETMQ_ACCESS_KEY)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROCKETMQ_ACCESS_KEY"),
        };
        var secretKey = new Option<string?>("--secret-key")
        {
            Description = "ACL secret key (default: $ROCKETMQ_SECRET_KEY; prefer the variable, it stays out of shell history)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROCKETMQ_SECRET_KEY"),
        };
        var topic = new Option<string>("--topic", "-t") { Description = "Topic", DefaultValueFactory = _ => "orders" };
        var group = new Option<string>("--consumer-group", "-g") { Description = "The adapter's consumer group", DefaultValueFactory = _ => "order-source" };
        var drain = new Option<TimeSpan?>("--drain") { Description = "Longest wait for the last orders after producing ends (default 20s)", CustomParser = ParseDuration };
        var seed = new Option<int?>("--seed") { Description = "Seed of the order generator (default: random, printed)" };
        var shortRun = new Option<bool>("--short") { Description = "Test mode: a 4 s day at 50 orders/s peak (about 26 orders), autoscalers' clock x30" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the adapter's log lines as they come" };
        var trace = new Option<bool>("--trace") { Description = "Start a W3C trace per order and show it reaching the order service's log" };
        var adapters = new Option<int?>("--adapters", "-n")
        {
            Description = "Fix the adapter processes sharing the consumer group, like adapter replicas (default: emulated KEDA scales them 0..5 on the backlog)",
        };
        var instances = new Option<int?>("--instances")
        {
            Description = "Fix the order-service instances (default: emulated Knative scales them 0..4 on requests per second)",
        };
        var timeFactor = new Option<double?>("--time-factor")
        {
            Description = "How many times faster the autoscalers' clock runs, their time constants kept (default 10; 30 with --short)",
        };
        var lagThreshold = new Option<int?>("--lag-threshold")
        {
            Description = "Backlog per adapter replica, the source's lag-threshold annotation (default 50, as in the sample)",
        };
        var chart = new Option<string?>("--chart") { Description = "Where to write the chart (PNG; default in the temp folder)" };

        var command = new RootCommand(
            "Runs the food-delivery flow on this machine: RocketMQ (embedded emulator or --endpoints), the real receive adapter and the " +
            "order service as child processes, scaled from zero and back by emulated KEDA and Knative rules, and a meal-time day of " +
            "orders; writes a chart; exits 0 only when no order was lost.")
        {
            duration, peakRate, format, endpoints, accessKey, secretKey, topic, group, drain, seed, shortRun, verbose, trace, adapters, instances,
            timeFactor, lagThreshold, chart,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = ToOptions(parse);
            if (!(options.PeakRate > 0))
            {
                await output.WriteLineAsync("--peak-rate must be greater than 0");
                return ExitBadOptions;
            }

            if (options.Adapters is < 1 or > LocalRunOptions.MaxAdapters)
            {
                await output.WriteLineAsync($"--adapters must be from 1 to {LocalRunOptions.MaxAdapters}");
                return ExitBadOptions;
            }

            if (options.Instances is < 1 or > LocalRunOptions.MaxInstances)
            {
                await output.WriteLineAsync($"--instances must be from 1 to {LocalRunOptions.MaxInstances}");
                return ExitBadOptions;
            }

            if (options.LagThreshold is < 1)
            {
                await output.WriteLineAsync("--lag-threshold must be at least 1");
                return ExitBadOptions;
            }

            if (options.TimeFactor is < 1 or > 1000 || double.IsNaN(options.TimeFactor))
            {
                await output.WriteLineAsync("--time-factor must be from 1 to 1000");
                return ExitBadOptions;
            }

            return await new LocalRunner(options, output).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>The run the command line asks for; --short changes the defaults, explicit values win.</summary>
    internal static LocalRunOptions ToOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var isShort = parse.GetValue<bool>("--short");
        var options = new LocalRunOptions
        {
            Duration = parse.GetValue<TimeSpan?>("--duration") ?? (isShort ? LocalRunOptions.ShortDuration : LocalRunOptions.DefaultDuration),
            PeakRate = parse.GetValue<double?>("--peak-rate") ?? (isShort ? LocalRunOptions.ShortPeakRate : LocalRunOptions.DefaultPeakRate),
            Format = parse.GetValue<MessageFormat>("--format"),
            Endpoints = parse.GetValue<string?>("--endpoints"),
            AccessKey = parse.GetValue<string?>("--access-key"),
            SecretKey = parse.GetValue<string?>("--secret-key"),
            Topic = parse.GetRequiredValue<string>("--topic"),
            ConsumerGroup = parse.GetRequiredValue<string>("--consumer-group"),
            Verbose = parse.GetValue<bool>("--verbose"),
            Trace = parse.GetValue<bool>("--trace"),
            Adapters = parse.GetValue<int?>("--adapters"),
            Instances = parse.GetValue<int?>("--instances"),
            TimeFactor = parse.GetValue<double?>("--time-factor") ?? (isShort ? LocalRunOptions.ShortTimeFactor : LocalRunOptions.DefaultTimeFactor),
            LagThreshold = parse.GetValue<int?>("--lag-threshold"),
        };
        if (parse.GetValue<string?>("--chart") is { Length: > 0 } chartPath)
        {
            options.ChartPath = chartPath;
        }

        if (parse.GetValue<TimeSpan?>("--drain") is { } drainTime)
        {
            options.Drain = drainTime;
        }

        if (parse.GetValue<int?>("--seed") is { } fixedSeed)
        {
            options.Seed = fixedSeed;
        }

        return options;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration such as 15s, 500ms or 1m30s");
        return null;
    }
}
