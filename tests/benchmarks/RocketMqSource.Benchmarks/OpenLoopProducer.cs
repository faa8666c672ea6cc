using System.Diagnostics;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// Open-loop pacing: message i is due at start + i/rate and carries that scheduled stopwatch time
/// (not the time it actually left), so a stalled pipeline shows up as latency rather than as a
/// slower producer (no coordinated omission). Runs on its own thread, sending the due messages
/// every millisecond. Also reports how late each message left against its schedule (the
/// harness's own share of the measured latency on a busy machine).
/// </summary>
internal static class OpenLoopProducer
{
    public static Task<(int Sent, double[] LagMilliseconds)> RunAsync(RocketMqEmulator emulator, string topic, byte[] body, int rate, TimeSpan duration)
    {
        var result = new TaskCompletionSource<(int, double[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(Produce(emulator, topic, body, rate, duration));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        })
        { IsBackground = true, Name = "open-loop producer" };
        thread.Start();
        return result.Task;
    }

    private static (int Sent, double[] LagMilliseconds) Produce(RocketMqEmulator emulator, string topic, byte[] body, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var ticksPerMessage = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        var batch = new List<Message>();
        var lag = new double[total];
        while (sent < total)
        {
            var now = Stopwatch.GetTimestamp();
            var due = Math.Min(total, (int)((now - start) / ticksPerMessage) + 1);
            for (; sent < due; sent++)
            {
                batch.Add(Workload.Order(topic, body, sent, start + (long)(sent * ticksPerMessage)));
            }

            if (batch.Count > 0)
            {
                emulator.Send(batch);
                var leftAt = Stopwatch.GetTimestamp();
                for (var i = sent - batch.Count; i < sent; i++)
                {
                    lag[i] = (leftAt - (start + (long)(i * ticksPerMessage))) * 1000.0 / Stopwatch.Frequency;
                }

                batch.Clear();
            }

            Thread.Sleep(1);
        }

        return (sent, lag);
    }
}
