using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Testing;
using static RocketMqSource.Controller.Autoscaling.AutoscalingAnnotations;

namespace RocketMqSource.Controller.Tests.Autoscaling;

/// <summary>The pure autoscaling decisions: annotations, the backlog query, the ScaledObject.</summary>
public sealed class AutoscalingDecisionTests
{
    [Fact]
    public void The_class_annotation_alone_gets_eventing_kafka_brokers_defaults()
    {
        var (request, problem) = Read(new Dictionary<string, string> { [Class] = KedaClass });

        Assert.Null(problem);
        Assert.Equal(new AutoscalingRequest(MinScale: 0, MaxScale: 50, PollingInterval: 10, CooldownPeriod: 30, LagThreshold: 100, ActivationLagThreshold: 0, QueryTemplate: null), request);
    }

    [Theory]
    [InlineData("disabled", false)]
    [InlineData("hpa.autoscaling.knative.dev", false)]
    [InlineData("keda.autoscaling.knative.dev", true)]
    public void Only_the_KEDA_class_opts_in(string value, bool opted)
    {
        var source = Fixtures.Source();
        source.Metadata.Annotations = new Dictionary<string, string> { [Class] = value };

        Assert.Equal(opted, RequestsKeda(source));
    }

    [Fact]
    public void Min_scale_above_max_scale_is_a_problem()
    {
        var (request, problem) = Read(new Dictionary<string, string> { [MinScale] = "5", [MaxScale] = "2" });

        Assert.Null(request);
        Assert.Equal("autoscaling.eventing.knative.dev/min-scale (5) must not exceed autoscaling.eventing.knative.dev/max-scale (2)", problem);
    }

    [Fact]
    public void Topic_and_group_are_escaped_as_PromQL_strings()
    {
        var query = BacklogQuery.Render("m{topic=\"{{topic}}\",consumer_group=\"{{consumerGroup}}\"}", "a\"b\\c", "g\nh", TimeSpan.FromSeconds(80));

        Assert.Equal("m{topic=\"a\\\"b\\\\c\",consumer_group=\"g\\nh\"}", query);
    }

    [Fact]
    public void A_per_source_query_replaces_the_configured_backlog_query_and_keeps_the_wake_trigger()
    {
        var source = Fixtures.Source();
        var (request, _) = Read(new Dictionary<string, string> { [BacklogQueryOverride] = "max(rocketmq_consumer_lag_messages{consumer_group=\"{{consumerGroup}}\"})" });

        var built = ScaledObjectBuilder.Build(source, request!, AutoscalerConfig.FromData(null), "http://prom:9090");

        var triggers = built["spec"]!["triggers"]!.AsArray();
        Assert.Equal(["backlog", "wake"], triggers.Select(t => (string?)t!["name"]));
        Assert.Equal("max(rocketmq_consumer_lag_messages{consumer_group=\"order-dispatch\"})", (string?)triggers[0]!["metadata"]!["query"]);
        Assert.Equal(
            BacklogQuery.Render(AutoscalerConfig.DefaultWakeQueryTemplate, "orders", "order-dispatch", TimeSpan.FromSeconds(80)),
            (string?)triggers[1]!["metadata"]!["query"]);
    }

    [Fact]
    public void The_wake_window_follows_the_polling_interval()
    {
        var source = Fixtures.Source();
        var (request, _) = Read(new Dictionary<string, string> { [PollingInterval] = "45" });

        var built = ScaledObjectBuilder.Build(source, request!, AutoscalerConfig.FromData(new Dictionary<string, string> { [AutoscalerConfig.WakeQueryKey] = "x{topic=\"{{topic}}\"}[{{window}}]" }), "http://prom:9090");

        Assert.Equal("x{topic=\"orders\"}[150s]", (string?)built["spec"]!["triggers"]![1]!["metadata"]!["query"]);
    }

    /// <summary>
    /// Over generated polling intervals and timings: a message shows in the wake query from the
    /// first scrape after it arrived for one window, and every such window holds at least two of
    /// KEDA's polls, however the polls fall.
    /// </summary>
    [Fact]
    public void Every_message_is_seen_by_at_least_two_polls_of_the_wake_query()
    {
        var cases =
            from polling in Gen.Choose(1, 3600)
            from phase in Gen.Choose(0, 999)
            from shownAt in Gen.Choose(0, 1_000_000)
            select (polling, phase, shownAt);
        Prop.ForAll(Arb.From(cases), c =>
        {
            var window = WakeTrigger.Window(c.polling).TotalSeconds;
            var pollPhase = c.phase * c.polling / 1000.0;

            // Polls at pollPhase + k * polling; the message is in the query during [shownAt, shownAt + window).
            var firstPoll = Math.Ceiling((c.shownAt - pollPhase) / c.polling);
            var polls = Enumerable.Range(0, 4).Select(k => pollPhase + ((firstPoll + k) * c.polling)).Count(t => t >= c.shownAt && t < c.shownAt + window);

            Assert.True(polls >= 2, $"polling {c.polling} s, window {window} s: {polls} poll(s)");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void The_shipped_ConfigMap_carries_the_default_query_and_a_server_address()
    {
        var shipped = Manifest.LoadConfig().Single(m => m.Kind == "ConfigMap" && m.Name == AutoscalerConfig.ConfigMapName);
        var data = shipped.Document["data"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);

        var config = AutoscalerConfig.FromData(data);

        Assert.Equal(AutoscalerConfig.DefaultQueryTemplate, config.QueryTemplate);
        Assert.Equal(AutoscalerConfig.DefaultWakeQueryTemplate, config.WakeQueryTemplate);
        Assert.StartsWith("http://", config.ServerAddress, StringComparison.Ordinal);
        Assert.Equal("rocketmq-source", (string?)shipped.Document["metadata"]!["namespace"]);
    }

    [Theory]
    [InlineData("prometheus:9090")]
    [InlineData("prometheus-operated.monitoring.svc:9090")]
    [InlineData("ftp://prometheus:9090")]
    public void A_server_address_KEDA_could_not_query_is_refused(string address)
    {
        var refused = Assert.Throws<ArgumentException>(() => AutoscalerConfig.FromData(new Dictionary<string, string> { [AutoscalerConfig.ServerAddressKey] = address }));

        Assert.Equal($"prometheus-server-address must be an http or https URL, got '{address}'", refused.Message);
        Assert.Null(AutoscalerConfig.FromData(new Dictionary<string, string> { [AutoscalerConfig.ServerAddressKey] = " " }).ServerAddress);
    }

    [Fact]
    public void An_update_keeps_KEDAs_status_and_foreign_labels_and_changes_only_what_we_own()
    {
        var source = Fixtures.Source();
        var desired = ScaledObjectBuilder.Build(source, Read(null).Request!, AutoscalerConfig.FromData(null), "http://prom:9090");
        var observed = (JsonObject)desired.DeepClone();
        observed["metadata"]!["labels"]!["team"] = "food";
        observed["metadata"]!["resourceVersion"] = "12";
        observed["status"] = new JsonObject { ["hpaName"] = "keda-hpa-x" };
        Assert.True(ScaledObjectBuilder.Matches(desired, Cached(observed)));

        observed["spec"]!["maxReplicaCount"] = 3;
        var merged = ScaledObjectBuilder.Merge(desired, observed);

        Assert.False(ScaledObjectBuilder.Matches(desired, Cached(observed)));
        Assert.Equal(50, (int)merged["spec"]!["maxReplicaCount"]!);
        Assert.Equal("food", (string?)merged["metadata"]!["labels"]!["team"]);
        Assert.Equal("12", (string?)merged["metadata"]!["resourceVersion"]);
        Assert.Null(merged["status"]);
    }

    /// <summary>
    /// The queries the controller writes parse with Prometheus's own grammar (npm
    /// @prometheus-io/lezer-promql), with a topic and group that need escaping; a broken template
    /// would fail every KEDA poll.
    /// </summary>
    [Fact]
    public async Task The_default_queries_as_rendered_are_PromQL()
    {
        var source = Fixtures.Source();
        source.Spec!.Topic = "or\"ders\\";
        var built = ScaledObjectBuilder.Build(source, Read(null).Request!, AutoscalerConfig.FromData(null), "http://prom:9090");
        var queries = built["spec"]!["triggers"]!.AsArray().Select(t => (string)t!["metadata"]!["query"]!).ToList();
        queries.Add("sum(x offset)");

        var parsed = JsonNode.Parse((await NodePeer.RunAsync("promql-parse.mjs", standardInput: JsonSerializer.Serialize(queries))).EnsureSuccess().StandardOutput)!.AsArray();

        Assert.Empty(parsed[0]!["errors"]!.AsArray());
        Assert.Empty(parsed[1]!["errors"]!.AsArray());
        Assert.NotEmpty(parsed[2]!["errors"]!.AsArray());
        Assert.Contains("OffsetExpr", parsed[1]!["nodes"]!.AsArray().Select(n => (string?)n));
    }

    /// <summary>The ScaledObject as the controller's cache keeps it.</summary>
    private static ScaledObject Cached(JsonObject stored) => ScaledObject.Trim(k8s.KubernetesJson.Deserialize<ScaledObject>(stored.ToJsonString()));
}
