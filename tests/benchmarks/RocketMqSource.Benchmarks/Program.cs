using RocketMqSource.Benchmarks;

// dotnet run -c Release --project tests/benchmarks/RocketMqSource.Benchmarks -- [--smoke] [--messages N]
//   [--latency RATE:SECONDS,...] [--backlog N] [--peer-messages N] [--max-in-flight N] [--no-peer] [--no-aot | --no-jit] [--aot PATH] [--runs N] [--out file.json] [--adapter-env K=V]
// The open-loop producer runs as a process of its own: `RocketMqSource.Benchmarks produce ...`.
if (args is [OpenLoopProducer.Command, .. var producerArgs])
{
    return await OpenLoopProducer.MainAsync(producerArgs);
}

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"benchmarks: {e.Message}");
    return 2;
}

var report = await new BenchmarkRunner(settings, Console.Error).RunAsync();
Console.WriteLine(report.ToTable());
var json = report.ToJson();
if (settings.OutputPath is { } path)
{
    await File.WriteAllTextAsync(path, json);
    Console.WriteLine($"written to {Path.GetFullPath(path)}");
}
else
{
    Console.WriteLine(json);
}

return 0;
