using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Manifests;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>
/// GET /metrics speaks the Prometheus text format a RocketMQ 5 broker exports, read by the npm
/// parser parse-prometheus-text-format (which rejects malformed lines), and the backlog query
/// the controller ships for KEDA (config/401-config-rocketmq-autoscaler.yaml) sums it right.
/// </summary>
public sealed partial class MetricsEndpointTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Topic = "metrics-orders";
    private const string Group = "metrics-dispatch";
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Ready_in_flight_and_lag_gauges_count_what_the_group_has_not_acked()
    {
        fixture.Emulator.Send([.. Enumerable.Range(0, 5).Select(i => new Message.Builder().SetTopic(Topic).SetBody([(byte)i]).Build())]);
        await using var consumer = await new SimpleConsumer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(fixture.Emulator.Endpoint).EnableSsl(false).Build())
            .SetConsumerGroup(Group)
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [Topic] = FilterExpression.SubAll })
            .BuildAsync();
        var received = await consumer.ReceiveAsync(2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, received.Count);

        var families = await ScrapeAsync();

        Assert.Equal(3, Value(families, "rocketmq_consumer_ready_messages"));
        Assert.Equal(2, Value(families, "rocketmq_consumer_inflight_messages"));
        Assert.Equal(5, Value(families, "rocketmq_consumer_lag_messages"));
        Assert.All(families.EnumerateArray(), f => Assert.Equal("GAUGE", f.GetProperty("type").GetString()));
        Assert.Equal(5, EvaluateShippedBacklogQuery(families));

        await consumer.AckAsync(received[0]);
        Assert.Equal(4, EvaluateShippedBacklogQuery(await ScrapeAsync()));
    }

    private async Task<JsonElement> ScrapeAsync()
    {
        var endpoint = fixture.Emulator.Endpoint;
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}/metrics")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await Http.SendAsync(request);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = (await NodePeer.RunAsync("prometheus-parse.mjs", standardInput: text)).EnsureSuccess();
        return JsonDocument.Parse(parsed.StandardOutput).RootElement.Clone();
    }

    private static double Value(JsonElement families, string name) =>
        Samples(families, name).Where(s => s.Labels.GetValueOrDefault("topic") == Topic && s.Labels.GetValueOrDefault("consumer_group") == Group)
            .Select(s => s.Value).Single();

    private static IEnumerable<(Dictionary<string, string> Labels, double Value)> Samples(JsonElement families, string name) =>
        from family in families.EnumerateArray()
        where family.GetProperty("name").GetString() == name
        from metric in family.GetProperty("metrics").EnumerateArray()
        select (metric.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(metric.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Evaluates the shipped query for this topic and group. It must have exactly the shape
    /// (sum(m{...}) or vector(0)) + (sum(m{...}) or vector(0)); each sum adds the samples its
    /// equality matchers select, and "or vector(0)" makes an empty sum 0.
    /// </summary>
    private static double EvaluateShippedBacklogQuery(JsonElement families)
    {
        var config = Manifest.LoadConfig().Single(m => m.Kind == "ConfigMap" && m.Name == "config-rocketmq-autoscaler");
        var query = ((string)config.Document["data"]!["backlog-query"]!).Replace("{{topic}}", Topic, StringComparison.Ordinal)
            .Replace("{{consumerGroup}}", Group, StringComparison.Ordinal);
        var terms = SumTerm().Matches(query);
        Assert.Equal("(T or vector(0)) + (T or vector(0))", SumTerm().Replace(query, "T"));
        return terms.Sum(term =>
        {
            var matchers = Matcher().Matches(term.Groups["matchers"].Value).ToDictionary(m => m.Groups["label"].Value, m => m.Groups["value"].Value);
            return Samples(families, term.Groups["metric"].Value).Where(s => matchers.All(m => s.Labels.GetValueOrDefault(m.Key) == m.Value)).Sum(s => s.Value);
        });
    }

    [GeneratedRegex(@"sum\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<matchers>[^}]*)\}\)")]
    private static partial Regex SumTerm();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>[^""\\]*)""")]
    private static partial Regex Matcher();
}
