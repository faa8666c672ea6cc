using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Adapter.Tests.Support.Otlp;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Operations;

/// <summary>
/// The real adapter host against the emulator, with the OpenTelemetry SDK as config-observability
/// sets it up: Prometheus scrape endpoint, OTLP/HTTP spans to a loopback receiver, and an
/// in-memory metric exporter added the way any host can add one.
/// </summary>
public sealed class TelemetryTests
{
    private const string Topic = "telemetry-orders";

    private sealed record Run(
        List<MetricSnapshot> Metrics, OtlpTraceReceiver Receiver, LoopbackSink Sink, string Group, string PrometheusText);

    private static Message Order(int number, params (string Key, string Value)[] properties) =>
        EmulatedRocketMq.Order(Topic, number, properties: properties);

    /// <summary>Starts everything, sends the messages, waits until all are acked, flushes both providers and scrapes /metrics.</summary>
    private static async Task<Run> RunAsync(EmulatedRocketMq rocketMq, OtlpTraceReceiver receiver, LoopbackSink sink, string group, params Message[] messages)
    {
        var (healthPort, metricsPort) = (LoopbackPort.GetFree(), LoopbackPort.GetFree());
        var observability = JsonSerializer.Serialize(new
        {
            metrics = new { protocol = "prometheus" },
            tracing = new { protocol = "http/protobuf", endpoint = receiver.Endpoint.AbsoluteUri, sampling_rate = 1.0 },
        });
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.Uri.AbsoluteUri), ("ROCKETMQ_ENDPOINTS", rocketMq.Endpoint), ("ROCKETMQ_TOPIC", Topic), ("ROCKETMQ_CONSUMER_GROUP", group),
            ("ROCKETMQ_AWAIT_DURATION", "5s"), ("K_BACKOFF_DELAY", "10ms"), ("HEALTH_PORT", $"{healthPort}"), ("METRICS_PORT", $"{metricsPort}"),
            ("K_OBSERVABILITY_CONFIG", observability)]));
        // Sent before the adapter starts: on a busy machine the producer's first call does not race the adapter's start.
        foreach (var message in messages)
        {
            await rocketMq.SendAsync(message);
        }

        var exported = new List<MetricSnapshot>();
        var builder = AdapterHost.CreateBuilder(options);
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        await using var app = AdapterHost.Build(builder);
        await app.StartAsync();

        await Eventually.WaitAsync(() => rocketMq.Stats(group, Topic).Acked >= messages.Length, "every message acked", TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        var prometheus = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        // Stopped first, so every message is settled and its span ended; then both providers flush.
        await app.StopAsync();
        // Not asserted: the Prometheus reader only collects on a scrape and answers false here; the in-memory one exports.
        app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        return new Run(exported, receiver, sink, group, prometheus);
    }

    private static IEnumerable<(MetricSnapshot Metric, MetricPoint Point, Dictionary<string, object?> Tags)> Points(Run run, string name) =>
        from metric in run.Metrics.Where(m => m.Name == name)
        from point in metric.MetricPoints
        let tags = Tags(point)
        // Other adapters in this test process publish under the same meter name: keep this run's group.
        where Equals(tags.GetValueOrDefault("messaging.consumer.group.name"), run.Group)
        select (metric, point, tags);

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static long LastSum(Run run, string name, Func<Dictionary<string, object?>, bool>? where = null) =>
        Points(run, name).Where(p => where?.Invoke(p.Tags) ?? true).GroupBy(p => string.Join(",", p.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")))
            .Sum(series => series.Last().Point.GetSumLong());

    [Fact]
    public async Task Instruments_spans_and_the_sink_header_follow_one_run_against_the_emulator()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        var failed = 0;
        // The first attempt of order 1 (the producer's trace 4bf9…) fails with 503: one retry, then every event is accepted.
        await using var sink = await LoopbackSink.StartAsync(request => Task.FromResult(
            request.Header("traceparent").Contains("4bf92f3577b34da6a3ce929d0e0e4736", StringComparison.Ordinal) && Interlocked.Exchange(ref failed, 1) == 0
                ? new SinkReply(503)
                : SinkReply.Accepted));
        var group = $"telemetry-{Guid.NewGuid():N}";
        var fromProperty = ActivityContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE");
        var fromSystem = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        var withProperties = Order(1, ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("tracestate", "congo=t61rcWkgMzE"));
        var withSystemProperty = new Message.Builder().SetTopic(Topic).SetBody("""{"order":2}"""u8.ToArray())
            .SetTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").Build();
        var plain = Order(3);

        var run = await RunAsync(rocketMq, receiver, sink, group, withProperties, withSystemProperty, plain);

        // Metrics: names, units and labels (semantic conventions, Knative's dispatch histogram, ours).
        var consumed = Points(run, "messaging.client.consumed.messages").ToList();
        Assert.Equal(3, LastSum(run, "messaging.client.consumed.messages"));
        Assert.All(consumed, p =>
        {
            Assert.Equal("{message}", p.Metric.Unit);
            Assert.Equal("rocketmq", p.Tags["messaging.system"]);
            Assert.Equal(Topic, p.Tags["messaging.destination.name"]);
        });
        Assert.Equal(3, LastSum(run, "rocketmqsource.events.delivered", t => Equals(t.GetValueOrDefault("http.response.status_code"), 202)));
        Assert.Equal(1, LastSum(run, "rocketmqsource.events.retried", t => Equals(t.GetValueOrDefault("http.response.status_code"), 503)));
        Assert.Equal(0, LastSum(run, "rocketmqsource.messages.in_flight"));
        var dispatch = Points(run, "kn.eventing.dispatch.duration").ToList();
        Assert.Equal("s", dispatch[0].Metric.Unit);
        Assert.Equal(4, dispatch.GroupBy(p => p.Tags["http.response.status_code"]).Sum(series => series.Last().Point.GetHistogramCount()));
        var queued = Points(run, "rocketmqsource.message.queue.duration").ToList();
        Assert.Equal(3, queued.Last().Point.GetHistogramCount());
        Assert.Equal(3, Points(run, "rocketmqsource.receive.batch_size").Last().Point.GetHistogramSum());
        // The adapter's own time, once per message and stage (the retry happens inside the POST stage's end, not before it).
        var service = Points(run, "rocketmqsource.message.service.duration").ToList();
        Assert.Equal("s", service[0].Metric.Unit);
        Assert.Equal(3, service.Where(p => Equals(p.Tags["stage"], "before_post")).Last().Point.GetHistogramCount());
        Assert.Equal(3, service.Where(p => Equals(p.Tags["stage"], "before_ack")).Last().Point.GetHistogramCount());

        // Spans, as the OTLP receiver got them: one consumer span per message, continuing the producer's trace.
        await Eventually.WaitAsync(() => run.Receiver.Spans.Count(s => s.Name == $"process {Topic}") >= 3, "three spans exported");
        var spans = run.Receiver.Spans.Where(s => s.Name == $"process {Topic}").ToList();
        Assert.All(spans, span => Assert.Equal(5, span.Kind));
        var first = Assert.Single(spans, s => Hex(s.TraceId) == fromProperty.TraceId.ToHexString());
        Assert.Equal(fromProperty.SpanId.ToHexString(), Hex(first.ParentSpanId));
        Assert.Equal("congo=t61rcWkgMzE", first.TraceState);
        Assert.Contains(first.Events, e => e.Name == "retry");
        var second = Assert.Single(spans, s => Hex(s.TraceId) == fromSystem.TraceId.ToHexString());
        Assert.Equal(fromSystem.SpanId.ToHexString(), Hex(second.ParentSpanId));
        var third = Assert.Single(spans, s => s != first && s != second);
        Assert.True(third.ParentSpanId.IsEmpty, "a message without trace context starts a new trace");

        // The sink: the W3C header continues the trace with the adapter's span as the parent.
        var delivered = run.Sink.Requests.ToList();
        foreach (var span in spans)
        {
            Assert.Contains(delivered, r => r.Header("traceparent") == $"00-{Hex(span.TraceId)}-{Hex(span.SpanId)}-01");
        }

        // The scrape endpoint serves the same instruments in Prometheus text that the Prometheus
        // client's parser (tests/interop/parse-prometheus.mjs) reads without untyped leftovers.
        var families = JsonDocument.Parse((await NodePeer.RunAsync("parse-prometheus.mjs", standardInput: run.PrometheusText)).EnsureSuccess().StandardOutput).RootElement;
        var byName = families.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.DoesNotContain(byName.Values, f => f.GetProperty("type").GetString() == "UNTYPED");
        Assert.Equal("COUNTER", byName["messaging_client_consumed_messages_total"].GetProperty("type").GetString());
        Assert.Equal("HISTOGRAM", byName["kn_eventing_dispatch_duration_seconds"].GetProperty("type").GetString());
        Assert.Contains(byName["rocketmqsource_events_delivered_total"].GetProperty("metrics").EnumerateArray(), m =>
            m.GetProperty("labels").GetProperty("messaging_consumer_group_name").GetString() == group
            && m.GetProperty("labels").GetProperty("http_response_status_code").GetString() == "202"
            && m.GetProperty("value").GetString() == "3");
    }

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
