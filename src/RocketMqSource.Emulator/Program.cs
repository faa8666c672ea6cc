using System.Globalization;
using System.Runtime.InteropServices;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;

// Command line: --listen host:port, --queues N, --fifo-topic NAME (repeatable), --fifo-group NAME
// (repeatable), --max-attempts N, --topic NAME (repeatable: declared topics), --no-auto-create-topics
// (only declared topics exist, like a broker with autoCreateTopicEnable=false), --min-invisible-ms / --min-polling-ms (tests only: shorten the
// proxy's 10 s / 5 s minimums), --access-key/--secret-key (or ROCKETMQ_EMULATOR_ACCESS_KEY /
// ROCKETMQ_EMULATOR_SECRET_KEY). Runs until Ctrl-C or SIGTERM.
var options = new RocketMqEmulatorOptions
{
    AccessKey = Environment.GetEnvironmentVariable("ROCKETMQ_EMULATOR_ACCESS_KEY"),
    SecretKey = Environment.GetEnvironmentVariable("ROCKETMQ_EMULATOR_SECRET_KEY"),
};
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--listen": options.Listen = Value(); break;
            case "--queues": options.QueuesPerTopic = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--fifo-topic": options.FifoTopics.Add(Value()); break;
            case "--fifo-group": options.FifoGroups.Add(Value()); break;
            case "--max-attempts": options.MaxDeliveryAttempts = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--min-invisible-ms": options.MinInvisibleDuration = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--min-polling-ms": options.MinLongPollingTimeout = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--subscription-expired-ms": options.SubscriptionExpiredTimeout = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--topic": options.Topics.Add(Value()); break;
            case "--no-auto-create-topics": options.AutoCreateTopics = false; break;
            case "--access-key": options.AccessKey = Value(); break;
            case "--secret-key": options.SecretKey = Value(); break;
            case "--help" or "-h":
                Console.WriteLine("rocketmq-emulator [--listen 127.0.0.1:8081] [--queues 8] [--fifo-topic NAME]... [--fifo-group NAME]... [--max-attempts 17] [--topic NAME]... [--no-auto-create-topics] [--min-invisible-ms 10000] [--min-polling-ms 5000] [--subscription-expired-ms 600000] [--access-key AK --secret-key SK]");
                return 0;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }

    if (options.QueuesPerTopic < 1 || options.MaxDeliveryAttempts < 1)
    {
        throw new ArgumentException("--queues and --max-attempts must be at least 1");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"rocketmq-emulator: {e.Message}");
    return 2;
}

var stop = new TaskCompletionSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });

await using var emulator = await RocketMqEmulator.StartAsync(options);
var auth = string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey) ? "off" : "on";
Console.WriteLine($"RocketMQ 5 proxy emulator listening on {emulator.Endpoint} (h2c, queues={options.QueuesPerTopic}, auth={auth}, topics={(options.AutoCreateTopics ? "auto-created" : "declared only")}) - for development and tests only, not for production");
await stop.Task;
Console.WriteLine("RocketMQ emulator stopping");
return 0;
