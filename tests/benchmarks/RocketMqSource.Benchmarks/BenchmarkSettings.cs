using System.Globalization;

namespace RocketMqSource.Benchmarks;

/// <summary>What one run measures and how big; <see cref="Smoke"/> shrinks everything to seconds.</summary>
internal sealed record BenchmarkSettings
{
    /// <summary>How many times every phase runs (--runs N); the table shows each metric's median.</summary>
    public int Runs { get; init; } = 1;

    public int Messages { get; init; } = 100_000;

    public int BacklogMessages { get; init; } = 1_000_000;

    public int PeerMessages { get; init; } = 100_000;

    public int BodyBytes { get; init; } = 1024;

    public int SmallBodyBytes { get; init; } = 64;

    /// <summary>Concurrency of the ceiling loop: the adapter's max in-flight (ROCKETMQ_MAX_IN_FLIGHT).</summary>
    public int MaxInFlight { get; init; } = 64;

    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan BacklogObservation { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<(int Rate, TimeSpan Duration)> LatencySteps { get; init; } =
        [(1_000, TimeSpan.FromSeconds(10)), (10_000, TimeSpan.FromSeconds(5))];

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool Smoke { get; init; }

    public bool SkipPeer { get; init; }

    /// <summary>Measure the JIT build only (--no-aot): no Native AOT publish, which takes minutes.</summary>
    public bool SkipAot { get; init; }

    /// <summary>Measure the AOT build only (--no-jit): for tuning runs of the shipped build.</summary>
    public bool SkipJit { get; init; }

    /// <summary>An AOT executable already published (--aot PATH); otherwise the harness publishes one.</summary>
    public string? AotExecutable { get; init; }

    public string? OutputPath { get; init; }

    /// <summary>Extra environment for the adapter process (tuning experiments: --adapter-env KEY=VALUE).</summary>
    public IReadOnlyDictionary<string, string> AdapterEnvironment { get; init; } = new Dictionary<string, string>();

    public static BenchmarkSettings ForSmoke(BenchmarkSettings settings) => settings with
    {
        Smoke = true,
        Messages = 300,
        BacklogMessages = 2_000,
        PeerMessages = 300,
        CeilingDuration = TimeSpan.FromSeconds(1),
        BacklogObservation = TimeSpan.FromSeconds(1),
        IdleSettle = TimeSpan.FromSeconds(1),
        LatencySteps = [(200, TimeSpan.FromSeconds(1)), (1_000, TimeSpan.FromSeconds(1))],
        DrainTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>RATE:SECONDS,... e.g. 1000:10,10000:5.</summary>
    private static List<(int Rate, TimeSpan Duration)> LatencyStepsOf(string text) =>
        [.. text.Split(',').Select(step => step.Split(':')).Select(parts => (
            int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture))))];

    /// <summary>--smoke, --runs N, --latency RATE:SECONDS,..., --messages N, --backlog N, --peer-messages N, --max-in-flight N, --no-peer, --no-aot, --no-jit, --aot PATH, --out FILE, --adapter-env K=V.</summary>
    public static BenchmarkSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchmarkSettings();
        var smoke = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--smoke": smoke = true; break;
                case "--runs": settings = settings with { Runs = Math.Max(1, Number()) }; break;
                case "--messages": settings = settings with { Messages = Number() }; break;
                case "--backlog": settings = settings with { BacklogMessages = Number() }; break;
                case "--peer-messages": settings = settings with { PeerMessages = Number() }; break;
                case "--max-in-flight": settings = settings with { MaxInFlight = Number() }; break;
                case "--no-peer": settings = settings with { SkipPeer = true }; break;
                case "--latency": settings = settings with { LatencySteps = LatencyStepsOf(Value()) }; break;
                case "--no-aot": settings = settings with { SkipAot = true }; break;
                case "--no-jit": settings = settings with { SkipJit = true }; break;
                case "--aot": settings = settings with { AotExecutable = Value() }; break;
                case "--out": settings = settings with { OutputPath = Value() }; break;
                case "--adapter-env":
                    var pair = Value().Split('=', 2);
                    environment[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--adapter-env takes KEY=VALUE");
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        settings = settings with { AdapterEnvironment = environment };
        if (smoke)
        {
            // Explicit sizes still win over the smoke defaults only for the output path and environment.
            settings = ForSmoke(settings);
        }

        return settings;
    }
}
