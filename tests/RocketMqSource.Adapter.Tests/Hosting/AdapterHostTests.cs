using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Hosting;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Hosting;

public class AdapterHostTests
{
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (WebApplication App, CapturingLoggerProvider Logs, int HealthPort, int MetricsPort) Build(
        PopMessageSource source, Uri sink, params (string Name, string? Value)[] env)
    {
        var healthPort = FreePort();
        var metricsPort = FreePort();
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.AbsoluteUri), ("K_SINK_TIMEOUT", "15"), ("HEALTH_PORT", $"{healthPort}"), ("METRICS_PORT", $"{metricsPort}"),
            ("ROCKETMQ_ACCESS_KEY", "AK-hidden-1"), ("ROCKETMQ_SECRET_KEY", "SK-hidden-2"), ("ROCKETMQ_SECURITY_TOKEN", "ST-hidden-3"), .. env]));
        var logs = new CapturingLoggerProvider();
        // The real host with the message source swapped for the fake, as any host's registrations can be.
        var builder = AdapterHost.CreateBuilder(options);
        builder.Services.AddSingleton<IMessageSource>(source);
        builder.Logging.AddProvider(logs);
        return (AdapterHost.Build(builder), logs, healthPort, metricsPort);
    }

    [Fact]
    public async Task Serves_probes_and_metrics_on_their_ports_and_logs_json_without_secrets()
    {
        var source = new PopMessageSource();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        // A group of its own: every host in this process exports every Meter named RocketMqSource.Adapter
        // (OpenTelemetry subscribes by name), so TelemetryTests' hosts running in parallel add to the same
        // series unless the labels differ.
        var (app, logs, healthPort, metricsPort) = Build(source, sink.Uri, ("ROCKETMQ_CONSUMER_GROUP", "host-test-adapter"));
        using var http = new HttpClient();
        await using (app)
        {
            await app.StartAsync();
            await Eventually.WaitAsync(() => Get(http, healthPort, "/readiness").StatusCode == HttpStatusCode.OK, "ready");
            source.Publish("h1");
            await Eventually.WaitAsync(() => source.IsAcked("h1"), "acked");

            Assert.Equal(HttpStatusCode.OK, Get(http, healthPort, "/health").StatusCode);
            var metrics = Get(http, metricsPort, "/metrics");
            Assert.StartsWith("text/plain; version=0.0.4", metrics.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Matches("""messaging_client_consumed_messages_total\{[^}]*messaging_consumer_group_name="host-test-adapter"[^}]*\} 1( |\n)""", text);
            Assert.Matches("""rocketmqsource_events_delivered_total\{(?=[^}]*messaging_consumer_group_name="host-test-adapter")[^}]*http_response_status_code="202"[^}]*\} 1( |\n)""", text);
            Assert.Matches("""kn_eventing_dispatch_duration_seconds_count\{[^}]*messaging_consumer_group_name="host-test-adapter"[^}]*\} 1( |\n)""", text);
            Assert.Equal(HttpStatusCode.NotFound, Get(http, healthPort, "/metrics").StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, Get(http, metricsPort, "/health").StatusCode);
            await app.StopAsync();
        }

        var lines = logs.Lines.ToList();
        var consuming = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("msg").GetString()!.StartsWith("consuming ", StringComparison.Ordinal));
        Assert.Equal("consuming topic=orders group=host-test-adapter", consuming.GetProperty("msg").GetString());
        Assert.Equal("info", consuming.GetProperty("level").GetString());
        Assert.Equal("orders", consuming.GetProperty("topic").GetString());
        Assert.Contains(lines, l => l.Contains("starting receive adapter", StringComparison.Ordinal) && l.Contains("host-test-adapter", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("-hidden-", StringComparison.Ordinal));
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task On_sigterm_readiness_fails_while_in_flight_deliveries_drain()
    {
        var source = new PopMessageSource();
        source.Publish("t1");
        var release = new TaskCompletionSource();
        await using var sink = await LoopbackSink.StartAsync(async _ =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return SinkReply.Accepted;
        });
        var (app, _, healthPort, _) = Build(source, sink.Uri, ("SHUTDOWN_GRACE_PERIOD", "20s"));
        using var http = new HttpClient();
        await using (app)
        {
            await app.StartAsync();
            await Eventually.WaitAsync(() => !sink.Requests.IsEmpty, "delivery in flight");
            Assert.Equal(HttpStatusCode.OK, Get(http, healthPort, "/readiness").StatusCode);

            // What the host does on SIGTERM.
            app.Lifetime.StopApplication();
            await Eventually.WaitAsync(() => Get(http, healthPort, "/readiness").StatusCode == HttpStatusCode.ServiceUnavailable, "unready after SIGTERM");
            Assert.Equal(HttpStatusCode.OK, Get(http, healthPort, "/health").StatusCode);
            Assert.False(source.IsAcked("t1"));

            release.SetResult();
            await app.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.True(source.IsAcked("t1"));
    }

    [Fact]
    public async Task Metrics_endpoint_is_off_when_config_observability_says_none()
    {
        var source = new PopMessageSource();
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var (app, _, healthPort, metricsPort) = Build(source, sink.Uri, ("K_OBSERVABILITY_CONFIG", """{"metrics":{"protocol":"none"}}"""));
        using var http = new HttpClient();
        await using (app)
        {
            await app.StartAsync();
            Assert.Equal(HttpStatusCode.OK, Get(http, healthPort, "/health").StatusCode);
            Assert.Throws<AggregateException>(() => Get(http, metricsPort, "/metrics"));
            await app.StopAsync();
        }
    }

    private static HttpResponseMessage Get(HttpClient http, int port, string path) =>
        http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}")).Result;
}
