using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RocketMqSource.Testing.Manifests;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>One scrape of /metrics as Prometheus stores it: when, and the families npm parse-prometheus-text-format read.</summary>
internal sealed record Scrape(DateTimeOffset At, JsonElement Families);

/// <summary>
/// Evaluates the queries the controller ships for KEDA (config/401-config-rocketmq-autoscaler.yaml)
/// on scraped families, after checking each has exactly the shape these evaluators understand.
/// </summary>
internal static partial class ShippedQueries
{
    /// <summary>Prometheus's default lookback: an instant selector sees the latest sample at most this old (--query.lookback-delta).</summary>
    private static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    /// <summary>
    /// backlog-query: (sum(m{...}) or vector(0)) + (sum(m{...}) or vector(0)); each sum adds the
    /// samples its equality matchers select, and "or vector(0)" makes an empty sum 0.
    /// </summary>
    public static double Backlog(JsonElement families, string topic, string group)
    {
        var query = Template("backlog-query").Replace("{{topic}}", topic, StringComparison.Ordinal).Replace("{{consumerGroup}}", group, StringComparison.Ordinal);
        var terms = SumTerm().Matches(query);
        Assert.Equal("(T or vector(0)) + (T or vector(0))", SumTerm().Replace(query, "T"));
        return terms.Sum(term =>
        {
            var matchers = Matchers(term.Groups["matchers"].Value);
            return Samples(families, term.Groups["metric"].Value).Where(s => Selects(matchers, s.Labels)).Sum(s => s.Value);
        });
    }

    /// <summary>
    /// wake-query at <paramref name="at"/> over the scrapes so far: ((T) + (T) + ...) > bool 0, each T
    /// the sum over a counter's series of "now minus the window ago" ((a - (a offset w)) >= 0), or
    /// the whole count where that is missing or negative (or a), empty sums being 0.
    /// </summary>
    public static double Wake(IReadOnlyList<Scrape> history, DateTimeOffset at, string topic, TimeSpan window)
    {
        var query = Template("wake-query").Replace("{{topic}}", topic, StringComparison.Ordinal)
            .Replace("{{window}}", string.Create(CultureInfo.InvariantCulture, $"{(long)window.TotalSeconds}s"), StringComparison.Ordinal);
        var terms = IncreaseTerm().Matches(query);
        Assert.Equal($"({string.Join(" + ", terms.Select(_ => "T"))}) > bool 0", IncreaseTerm().Replace(query, "T"));
        var total = terms.Sum(term =>
        {
            var metric = term.Groups["metric"].Value;
            var matchers = Matchers(term.Groups["matchers"].Value);
            Assert.Equal(window, TimeSpan.FromSeconds(int.Parse(term.Groups["window"].Value, CultureInfo.InvariantCulture)));
            var before = Selected(history, at - window, metric, matchers);
            return Selected(history, at, metric, matchers).Sum(now =>
                before.TryGetValue(now.Key, out var old) && now.Value - old >= 0 ? now.Value - old : now.Value);
        });
        return total > 0 ? 1 : 0;
    }

    public static IEnumerable<(Dictionary<string, string> Labels, double Value)> Samples(JsonElement families, string name) =>
        from family in families.EnumerateArray()
        where family.GetProperty("name").GetString() == name
        from metric in family.GetProperty("metrics").EnumerateArray()
        select (metric.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(metric.GetProperty("value").GetString()!, CultureInfo.InvariantCulture));

    private static string Template(string key)
    {
        var config = Manifest.LoadConfig().Single(m => m.Kind == "ConfigMap" && m.Name == "config-rocketmq-autoscaler");
        return (string)config.Document["data"]![key]!;
    }

    /// <summary>
    /// An instant selector at <paramref name="at"/>: per series (its labels), its value in the
    /// latest scrape within the lookback; a series that scrape lacks is stale, so absent.
    /// </summary>
    private static Dictionary<string, double> Selected(IReadOnlyList<Scrape> history, DateTimeOffset at, string metric, Dictionary<string, string> matchers) =>
        history.Where(s => s.At <= at && s.At > at - Lookback).MaxBy(s => s.At) is { } latest
            ? Samples(latest.Families, metric).Where(s => Selects(matchers, s.Labels))
                .ToDictionary(s => string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")), s => s.Value, StringComparer.Ordinal)
            : [];

    private static bool Selects(Dictionary<string, string> matchers, Dictionary<string, string> labels) =>
        matchers.All(m => labels.GetValueOrDefault(m.Key) == m.Value);

    private static Dictionary<string, string> Matchers(string text) =>
        Matcher().Matches(text).ToDictionary(m => m.Groups["label"].Value, m => m.Groups["value"].Value);

    [GeneratedRegex(@"sum\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<matchers>[^}]*)\}\)")]
    private static partial Regex SumTerm();

    [GeneratedRegex(@"\(sum\(\(\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<matchers>[^}]*)\} - \(\k<metric>\{\k<matchers>\} offset (?<window>[0-9]+)s\)\) >= 0\) or \k<metric>\{\k<matchers>\}\) or vector\(0\)\)")]
    private static partial Regex IncreaseTerm();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>[^""\\]*)""")]
    private static partial Regex Matcher();
}
