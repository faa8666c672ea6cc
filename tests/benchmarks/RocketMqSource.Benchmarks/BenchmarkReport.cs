using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RocketMqSource.Benchmarks;

/// <summary>A target a metric is held to: how it reads in the table, and the limit its value is checked against.</summary>
internal sealed record Threshold(string Text, double Limit, bool AtMost = true)
{
    public bool IsMetBy(double value) => AtMost ? value <= Limit : value >= Limit;
}

/// <summary>
/// One measured value (with --runs N, the median of the runs' values, listed in <see cref="Runs"/>),
/// the target it is held to (if any) and whether the value meets it.
/// </summary>
internal sealed record Metric(string Key, string Name, double Value, string Unit, [property: JsonIgnore] Threshold? Threshold = null, IReadOnlyList<double>? Runs = null)
{
    public string? Target => Threshold?.Text;

    public bool? Met => Threshold?.IsMetBy(Value);
}

/// <summary>The machine a run happened on.</summary>
internal sealed record MachineInfo(int Cores, string Os, string Runtime, string Architecture, double MemoryGb, string? LoadAverageAtStart, string? LoadAverageAtEnd)
{
    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was with other work.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    public static MachineInfo Current(string? loadAtStart) => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        loadAtStart,
        LoadAverage());
}

/// <summary>A run's results: machine, settings and every metric; serialised as the JSON table.</summary>
internal sealed record BenchmarkReport(DateTimeOffset Date, MachineInfo Machine, bool Smoke, int Runs, IReadOnlyDictionary<string, object> Settings, IReadOnlyList<Metric> Metrics)
{
    /// <summary>Every metric key a complete run reports for the given adapter builds (the smoke test checks them).</summary>
    public static IReadOnlyList<string> RequiredKeys(IEnumerable<string> builds, IEnumerable<int> latencyRates)
    {
        var rates = latencyRates.ToList();
        return
        [
            "ceiling.requests", "ceiling.requestsPerSecond", "ceiling.cpuMsPer1kRequests",
            "peer.events", "peer.eventsPerSecond", "peer.cpuMsPer1kEvents", "backlog.messages",
            .. builds.SelectMany(build => BuildKeys(rates).Select(key => $"{build}.{key}")),
        ];
    }

    private static IEnumerable<string> BuildKeys(IReadOnlyList<int> latencyRates) =>
    [
        "events", "eventsPerSecond", "cpuMsPer1kEvents", "cpuToCeiling", "allocatedKbPerEvent", "harnessCpuMsPer1kEvents", "duplicates", "ratioToPeer",
        .. latencyRates.SelectMany(rate => new[]
        {
            $"latency.{rate}.events", $"latency.{rate}.p50Ms", $"latency.{rate}.p99Ms", $"latency.{rate}.p999Ms", $"latency.{rate}.producerLagP99Ms", $"latency.{rate}.producerLagMaxMs",
            $"latency.{rate}.service.before_post.p50Ms", $"latency.{rate}.service.before_post.p99Ms", $"latency.{rate}.service.before_ack.p50Ms", $"latency.{rate}.service.before_ack.p99Ms",
        }),
        "memory.drainPeakRssMb", "memory.drainHwmMb", "memory.idleRssMb", "memory.latencyPeakRssMb",
        "backlog.events", "memory.backlogPeakRssMb",
        "startup.readinessMs", "startup.hostStartingMs", "startup.consumingMs", "startup.firstEventMs",
    ];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A plain-text table (fixed-width columns), the same rows as the JSON.</summary>
    public string ToTable()
    {
        var rows = Metrics.Select(metric => (metric.Name, Value: Format(metric.Value) + " " + metric.Unit, Target: metric.Target ?? string.Empty,
            Verdict: metric.Met switch { true => "met", false => "NOT met", null => string.Empty })).ToList();
        var width = (Name: Math.Max(6, rows.Max(r => r.Name.Length)), Value: Math.Max(5, rows.Max(r => r.Value.Length)), Target: Math.Max(6, rows.Max(r => r.Target.Length)));
        var lines = new List<string>
        {
            $"RocketMQSource adapter benchmark {Date:yyyy-MM-dd HH:mm} UTC{(Smoke ? " (smoke)" : string.Empty)}{(Runs > 1 ? $", median of {Runs} runs" : string.Empty)}",
            $"{Machine.Cores} cores, {Machine.MemoryGb} GB, {Machine.Os} {Machine.Architecture}, {Machine.Runtime}; load average {Machine.LoadAverageAtStart} at start, {Machine.LoadAverageAtEnd} at end",
            $"| {"metric".PadRight(width.Name)} | {"value".PadLeft(width.Value)} | {"target".PadRight(width.Target)} |         |",
            $"|{new string('-', width.Name + 2)}|{new string('-', width.Value + 2)}|{new string('-', width.Target + 2)}|---------|",
        };
        lines.AddRange(rows.Select(r => $"| {r.Name.PadRight(width.Name)} | {r.Value.PadLeft(width.Value)} | {r.Target.PadRight(width.Target)} | {r.Verdict,-7} |"));
        return string.Join('\n', lines);
    }

    private static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);
}
