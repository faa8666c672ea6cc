using System.Diagnostics;
using System.Globalization;
using System.Text;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Benchmarks;

/// <summary>Order messages and the fast in-process preload into the emulator.</summary>
internal static class Workload
{
    private const int PreloadBatch = 1_000;

    /// <summary>An order as JSON, padded with a note field to exactly <paramref name="size"/> bytes.</summary>
    public static byte[] OrderJson(int size)
    {
        const string head = "{\"orderId\":\"order-000001\",\"customer\":\"c-42\",\"restaurant\":\"r-7\",\"items\":[{\"sku\":\"pizza\",\"qty\":2},{\"sku\":\"cola\",\"qty\":1}],\"total\":23.5,\"note\":\"";
        const string tail = "\"}";
        var padding = Math.Max(0, size - head.Length - tail.Length);
        return Encoding.UTF8.GetBytes(head + new string('x', padding) + tail);
    }

    /// <summary>Stores <paramref name="count"/> messages in batches; returns messages per second.</summary>
    public static double Preload(RocketMqEmulator emulator, string topic, int count, byte[] body)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = new List<Message>(PreloadBatch);
        for (var i = 0; i < count; i++)
        {
            batch.Add(Order(topic, body, i, producedAt: null));
            if (batch.Count == PreloadBatch || i == count - 1)
            {
                emulator.Send(batch);
                batch.Clear();
            }
        }

        return count / Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 1e-6);
    }

    public static Message Order(string topic, byte[] body, int sequence, long? producedAt)
    {
        var builder = new Message.Builder()
            .SetTopic(topic)
            .SetBody(body)
            .SetTag("created")
            .SetKeys("order-" + sequence.ToString(CultureInfo.InvariantCulture));
        if (producedAt is { } stamp)
        {
            builder.AddProperty(BenchmarkSink.ProducedAtProperty, stamp.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Build();
    }
}
