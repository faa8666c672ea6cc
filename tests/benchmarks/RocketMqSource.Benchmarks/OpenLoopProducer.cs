using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// The open-loop producer, in a process of its own (not in the harness, which hosts the emulator
/// and the sink): message i is due at start + i/rate, sent over gRPC to the emulator when its
/// deadline comes (<see cref="Pacer"/>), and carries that deadline (not the time it actually left),
/// so a stalled pipeline shows as latency rather than as a slower producer (no coordinated
/// omission). It also reports how late each message left against its deadline: the producer's own
/// share of the measured latency.
/// </summary>
internal static class OpenLoopProducer
{
    public const string Command = "produce";

    private const string WarmUpTopic = "producer-warm-up";

    /// <summary>What the producer process reports on its last line.</summary>
    public sealed record Result(int Sent, int Failed, double LagP50Ms, double LagP99Ms, double LagMaxMs);

    /// <summary>Runs the producer process to its end (harness side).</summary>
    public static async Task<Result> RunAsync(string endpoint, string topic, int bodyBytes, int rate, TimeSpan duration)
    {
        var harness = Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Benchmarks.dll");
        string[] arguments = [harness, Command, endpoint, topic, Invariant(bodyBytes), Invariant(rate), Invariant((int)duration.TotalMilliseconds)];
        await using var producer = ChildProcess.Start("dotnet", arguments, new Dictionary<string, string>());
        // Above the adapter, emulator and sink on a shared machine: its lateness would be counted as theirs.
        producer.RaisePriority();
        // A producer that cannot keep the rate on a loaded machine sends late, not never: give it time.
        var exitCode = await producer.WaitForExitAsync((duration * 10) + TimeSpan.FromSeconds(60));
        var last = producer.RecentOutput.Split('\n').LastOrDefault(line => line.StartsWith('{'));
        // Failed sends (the emulator refusing a rate this machine cannot carry) are reported, not fatal.
        return last is not null && exitCode is 0 or 1
            ? JsonSerializer.Deserialize<Result>(last)!
            : throw new InvalidOperationException($"the producer process failed ({exitCode})\n{producer.RecentOutput}");
    }

    /// <summary>The producer process: produce ENDPOINT TOPIC BODY_BYTES RATE DURATION_MS; prints its <see cref="Result"/> as JSON.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        var (endpoint, topic) = (args[0], args[1]);
        var (bodyBytes, rate, durationMs) = (Number(args[2]), Number(args[3]), Number(args[4]));
        var body = Workload.OrderJson(bodyBytes);
        await using var producer = await new Producer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(endpoint).EnableSsl(false).Build())
            .SetTopics(topic, WarmUpTopic)
            .BuildAsync();

        // A fresh process: its first sends compile the send path. Warm it on a topic nobody consumes.
        for (var i = 0; i < 200; i++)
        {
            await producer.SendAsync(Workload.Order(WarmUpTopic, body, i, producedAt: null));
        }

        var total = (int)((long)rate * durationMs / 1000);
        var ticksPerMessage = (double)Stopwatch.Frequency / rate;
        var lag = new double[total];
        var sends = new Task[total];
        // The first deadline a little ahead, so the first message is not late by the set-up above.
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * ticksPerMessage);
            Pacer.WaitUntil(due);
            sends[i] = producer.SendAsync(Workload.Order(topic, body, i, due));
            lag[i] = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
        }

        var failed = 0;
        foreach (var send in sends)
        {
            try
            {
                await send;
            }
            catch (Exception)
            {
                // Any failed send is counted: a run with failures is not a latency measurement.
                failed++;
            }
        }

        Array.Sort(lag);
        var result = new Result(total - failed, failed, Percentiles.Of(lag, 50), Percentiles.Of(lag, 99), lag.Length > 0 ? lag[^1] : 0);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return failed == 0 ? 0 : 1;
    }

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
