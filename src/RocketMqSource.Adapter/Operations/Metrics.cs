using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RocketMqSource.Adapter.Operations;

/// <summary>A metric that can write itself in the Prometheus text exposition format (0.0.4).</summary>
internal abstract class Metric(string name, string help)
{
    public string Name { get; } = name;

    public string Help { get; } = help;

    public abstract void WriteTo(StringBuilder output);

    protected void WriteHeader(StringBuilder output, string type) =>
        output.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n')
            .Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');

    protected static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString(CultureInfo.InvariantCulture);

    protected static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>A monotonically increasing count, optionally split by one label.</summary>
internal sealed class Counter(string name, string help, string? labelName = null) : Metric(name, help)
{
    private readonly ConcurrentDictionary<string, long> values = new(StringComparer.Ordinal);

    public void Increment(string labelValue = "") => values.AddOrUpdate(labelValue, 1, (_, current) => current + 1);

    public long Value(string labelValue = "") => values.TryGetValue(labelValue, out var value) ? value : 0;

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, "counter");
        if (labelName is null)
        {
            output.Append(Name).Append(' ').Append(Value()).Append('\n');
            return;
        }

        foreach (var (label, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.Append(Name).Append('{').Append(labelName).Append("=\"").Append(EscapeLabel(label)).Append("\"} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}

/// <summary>A value that goes up and down.</summary>
internal sealed class Gauge(string name, string help) : Metric(name, help)
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    public void Increment() => Interlocked.Increment(ref value);

    public void Decrement() => Interlocked.Decrement(ref value);

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, "gauge");
        output.Append(Name).Append(' ').Append(Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

/// <summary>Observations counted into cumulative buckets, with their sum and count.</summary>
internal sealed class Histogram(string name, string help, double[] upperBounds) : Metric(name, help)
{
    private readonly Lock gate = new();
    private readonly long[] bucketCounts = new long[upperBounds.Length];
    private long count;
    private double sum;

    public long Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    public void Observe(double value)
    {
        lock (gate)
        {
            count++;
            sum += value;
            for (var i = 0; i < upperBounds.Length; i++)
            {
                if (value <= upperBounds[i])
                {
                    bucketCounts[i]++;
                }
            }
        }
    }

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, "histogram");
        lock (gate)
        {
            for (var i = 0; i < upperBounds.Length; i++)
            {
                output.Append(Name).Append("_bucket{le=\"").Append(Format(upperBounds[i])).Append("\"} ")
                    .Append(bucketCounts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            output.Append(Name).Append("_bucket{le=\"+Inf\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            output.Append(Name).Append("_sum ").Append(Format(sum)).Append('\n');
            output.Append(Name).Append("_count ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
