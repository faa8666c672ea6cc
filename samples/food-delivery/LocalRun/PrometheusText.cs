using System.Globalization;
using System.Text;

namespace FoodDelivery.LocalRun;

/// <summary>One sample of the Prometheus text format: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the Prometheus text exposition format (what the emulator's and the adapter's /metrics
/// serve): one sample per line, <c>name{label="value",...} value [timestamp]</c>, label values
/// with \\, \" and \n escaped; comments and blank lines skipped. Pure.
/// </summary>
internal static class PrometheusText
{
    public static IEnumerable<PrometheusSample> Samples(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            yield return Parse(line);
        }
    }

    /// <summary>The sum of every sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public static double Sum(string text, string name, params (string Name, string Value)[] labels) =>
        Samples(text)
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Sum(s => s.Value);

    private static PrometheusSample Parse(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        if (nameEnd < 0)
        {
            throw new FormatException($"no value in metric line '{line}'");
        }

        var name = line[..nameEnd];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = nameEnd;
        if (line[position] == '{')
        {
            position = ReadLabels(line, position + 1, labels);
        }

        var value = line[position..].Trim().Split(' ')[0];
        return new PrometheusSample(name, labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Reads label pairs up to the closing brace; returns the position after it.</summary>
    private static int ReadLabels(string line, int position, Dictionary<string, string> labels)
    {
        while (position < line.Length && line[position] != '}')
        {
            var equals = line.IndexOf('=', position);
            var labelName = line[position..equals].Trim().TrimStart(',').Trim();
            position = equals + 2; // past ="
            var value = new StringBuilder();
            while (line[position] != '"')
            {
                if (line[position] == '\\')
                {
                    position++;
                    value.Append(line[position] == 'n' ? '\n' : line[position]);
                }
                else
                {
                    value.Append(line[position]);
                }

                position++;
            }

            labels[labelName] = value.ToString();
            position++; // past the closing quote
            while (position < line.Length && line[position] is ',' or ' ')
            {
                position++;
            }
        }

        return position + 1;
    }
}
