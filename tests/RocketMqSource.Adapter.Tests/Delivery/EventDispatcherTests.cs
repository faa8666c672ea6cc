using System.Text;
using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using WireMock.ResponseBuilders;

namespace RocketMqSource.Adapter.Tests.Delivery;

public sealed class EventDispatcherTests : IDisposable
{
    private readonly AdapterTelemetry telemetry = new("orders", "order-events");
    private readonly RecordedMetrics metrics;
    private readonly List<IDisposable> disposables = [];

    public EventDispatcherTests() => metrics = new RecordedMetrics(telemetry.Meter);

    public void Dispose()
    {
        disposables.ForEach(d => d.Dispose());
        metrics.Dispose();
        telemetry.Dispose();
    }

    private EventDispatcher Dispatcher(Uri sink, params (string Name, string? Value)[] env) => Dispatcher(sink, TimeProvider.System, env);

    private EventDispatcher Dispatcher(Uri sink, TimeProvider clock, params (string Name, string? Value)[] env)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), .. env]));
        var client = SinkHttpClientFactory.Create(options.Sink, 8);
        disposables.Add(client);
        return new EventDispatcher(client, options.Sink, new DeliveryDecisions(options.Retry), telemetry, clock, NullLogger<EventDispatcher>.Instance, SinkTokens.For(options.Sink, clock));
    }

    private static CloudEvent Event(string id, string data = "{}") => new()
    {
        Id = id,
        Source = new Uri("/test", UriKind.Relative),
        Type = "dev.knative.rocketmq.event",
        DataContentType = "application/json",
        Data = Encoding.UTF8.GetBytes(data),
    };

    private SinkDouble Sink(int status = 202, string body = "")
    {
        var sink = SinkDouble.Answering(status, body);
        disposables.Add(sink);
        return sink;
    }

    private SinkDouble Sequence(params IResponseBuilder[] replies)
    {
        var sink = SinkDouble.Start();
        disposables.Add(sink);
        sink.Sequence("answers", SinkDouble.Posts(), replies);
        return sink;
    }

    [Fact]
    public async Task Accepted_event_is_delivered_once()
    {
        var sink = Sink();
        var last = await Dispatcher(sink.Uri).SendAsync(Event("e1", """{"order":1}"""), default, CancellationToken.None);

        Assert.Equal(202, last.StatusCode);
        var request = Assert.Single(sink.Requests);
        Assert.Equal("e1", request.EventId);
        Assert.Equal("""{"order":1}""", Encoding.UTF8.GetString(request.Body));
        Assert.Equal(string.Empty, request.Header("authorization"));
        Assert.Equal(string.Empty, request.Header("traceparent"));
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.delivered", "202"));
    }

    [Fact]
    public async Task An_event_without_datacontenttype_is_sent_without_content_type_and_its_data_as_it_is()
    {
        var sink = Sink();
        var cloudEvent = Event("n1");
        cloudEvent.DataContentType = null;
        cloudEvent.Data = new byte[] { 0xFF, 0x00, 0x7B };

        var last = await Dispatcher(sink.Uri).SendAsync(cloudEvent, default, CancellationToken.None);

        Assert.True(last.Succeeded);
        var request = Assert.Single(sink.Requests);
        Assert.False(request.Headers.ContainsKey("content-type"));
        Assert.Equal(new byte[] { 0xFF, 0x00, 0x7B }, request.Body);
        Assert.Equal(("n1", "1.0", "/test"), (request.EventId, request.Header("ce-specversion"), request.Header("ce-source")));
    }

    [Fact]
    public async Task An_event_the_sdk_cannot_encode_is_an_encoding_failure_never_sent()
    {
        var sink = Sink();
        var cloudEvent = Event("x1");
        cloudEvent.DataContentType = "application/json; charset=no-such-charset";
        cloudEvent.Data = System.Text.Json.JsonDocument.Parse("{}").RootElement;

        await Assert.ThrowsAsync<EventEncodingException>(() => Dispatcher(sink.Uri).SendAsync(cloudEvent, default, CancellationToken.None));

        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Trace_context_goes_to_the_sink_as_the_W3C_headers_on_every_attempt()
    {
        var sink = Sequence(SinkDouble.Reply(503), SinkDouble.Reply(202));
        var trace = new TraceHeaders("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=a1");

        await Dispatcher(sink.Uri).SendAsync(Event("tp1"), trace, CancellationToken.None);

        Assert.Equal(2, sink.Requests.Count);
        Assert.All(sink.Requests, request =>
        {
            Assert.Equal(trace.TraceParent, request.Header("traceparent"));
            Assert.Equal(trace.TraceState, request.Header("tracestate"));
        });
    }

    [Fact]
    public async Task Retryable_failures_are_retried_with_a_fresh_request_until_accepted()
    {
        var sink = Sequence(SinkDouble.Reply(503), SinkDouble.Reply(500), SinkDouble.Reply(200));

        var last = await Dispatcher(sink.Uri).SendAsync(Event("e2", "\"payload\""), default, CancellationToken.None);

        Assert.Equal(200, last.StatusCode);
        // One HttpContent serves every attempt: each one carries the whole body and every header again.
        Assert.Equal(3, sink.Requests.Count);
        Assert.All(sink.Requests, r => Assert.Equal(("\"payload\"", "e2", "application/json"), (Encoding.UTF8.GetString(r.Body), r.EventId, r.Header("content-type"))));
        Assert.Equal((1, 1, 1), (metrics.Sum("rocketmqsource.events.retried", "503"), metrics.Sum("rocketmqsource.events.retried", "500"), metrics.Sum("rocketmqsource.events.delivered", "200")));
        Assert.Equal(3, metrics.Measurements("kn.eventing.dispatch.duration"));
    }

    [Fact]
    public async Task Non_retryable_failure_is_not_retried()
    {
        var sink = Sink(400, "missing field");

        var last = await Dispatcher(sink.Uri).SendAsync(Event("e3"), default, CancellationToken.None);

        Assert.Equal(400, last.StatusCode);
        Assert.Equal("missing field", Encoding.UTF8.GetString(last.Body.Span));
        Assert.Single(sink.Requests);
        Assert.Equal(0, metrics.Sum("rocketmqsource.events.retried", "400"));
    }

    [Fact]
    public async Task The_dead_letter_sink_gets_the_event_with_knative_error_extensions()
    {
        var sink = Sink(422, "order has no items");
        var deadLetter = Sink();
        var dispatcher = Dispatcher(sink.Uri, ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri));

        var last = await dispatcher.SendAsync(Event("e4", "body-4"), default, CancellationToken.None);
        var result = await dispatcher.DeadLetterAsync(Event("e4", "body-4"), last, default, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Single(sink.Requests);
        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal("e4", copy.EventId);
        Assert.Equal("body-4", Encoding.UTF8.GetString(copy.Body));
        Assert.Equal(sink.Uri.AbsoluteUri, copy.Header("ce-knativeerrordest"));
        Assert.Equal("422", copy.Header("ce-knativeerrorcode"));
        Assert.Equal("order has no items", Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))));
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.dead_lettered", "422"));
    }

    [Fact]
    public async Task Exhausted_retries_end_with_the_last_answer()
    {
        var sink = Sink(503, "busy");

        var last = await Dispatcher(sink.Uri, ("K_RETRY", "2")).SendAsync(Event("e5"), default, CancellationToken.None);

        Assert.Equal(503, last.StatusCode);
        Assert.Equal(3, sink.Requests.Count);
        Assert.Equal(2, metrics.Sum("rocketmqsource.events.retried", "503"));
    }

    [Fact]
    public async Task A_failing_dead_letter_sink_is_retried_then_reported()
    {
        var deadLetter = Sink(500);
        var dispatcher = Dispatcher(new Uri("http://127.0.0.1:9/"), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_RETRY", "1"));

        var result = await dispatcher.DeadLetterAsync(Event("e6"), new AttemptResult(400, default, null, null), default, CancellationToken.None);

        Assert.Equal(500, result.StatusCode);
        Assert.Equal(2, deadLetter.Requests.Count);
        Assert.Equal(0, metrics.Sum("rocketmqsource.events.dead_lettered", "400"));
    }

    [Fact]
    public async Task Retry_after_is_honoured_on_the_injected_clock()
    {
        var sink = Sequence(SinkDouble.Reply(429).WithHeader("Retry-After", "1"), SinkDouble.Reply(200));
        var clock = new ManualClock { ControlsTimers = true };

        var dispatching = Dispatcher(sink.Uri, clock, ("K_SINK_TIMEOUT", "2")).SendAsync(Event("e7"), default, CancellationToken.None);
        // Retried is counted just before the wait starts; the attempt's own timeout timer is gone by then.
        await Eventually.WaitAsync(() => metrics.Sum("rocketmqsource.events.retried", "429") == 1 && clock.PendingTimers == 1, "the 429, then the wait before the retry");
        clock.Advance(TimeSpan.FromMilliseconds(999));

        // Only the clock could start the retry, and it has not reached Retry-After yet.
        Assert.Single(sink.Requests);
        Assert.False(dispatching.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var last = await dispatching.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(200, last.StatusCode);
        Assert.Equal(2, sink.Requests.Count);
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.retried", "429"));
    }

    [Fact]
    public async Task Slow_sink_times_out_on_the_injected_clock_and_is_retried()
    {
        // The first answer comes after 30 s of real time: only the injected clock's timeout ends that attempt.
        // (A scenario moves on only once its answer is written, so the first answer's delay is a callback's.)
        var sink = SinkDouble.Start();
        disposables.Add(sink);
        var answers = 0;
        sink.Server.Given(SinkDouble.Posts()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            if (Interlocked.Increment(ref answers) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
            }

            return new WireMock.ResponseMessage { StatusCode = 202 };
        }));
        var clock = new ManualClock { ControlsTimers = true };

        var dispatching = Dispatcher(sink.Uri, clock, ("K_SINK_TIMEOUT", "1")).SendAsync(Event("e8"), default, CancellationToken.None);
        await Eventually.WaitAsync(() => sink.Arrivals == 1, "the first attempt at the sink");
        Assert.False(dispatching.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => metrics.Sum("rocketmqsource.events.retried", "none") == 1 && clock.PendingTimers == 1, "the timed-out attempt counted, the backoff waiting");
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var last = await dispatching.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(202, last.StatusCode);
        Assert.Equal(2, sink.Arrivals);
    }

    [Fact]
    public async Task A_reset_connection_and_an_empty_response_are_no_response_and_retried()
    {
        var sink = Sink(204);
        sink.ResetConnection("r1");
        sink.AnswerNothing("r2");

        var reset = await Dispatcher(sink.Uri, ("K_RETRY", "0")).SendAsync(Event("r1"), default, CancellationToken.None);
        var empty = await Dispatcher(sink.Uri, ("K_RETRY", "0")).SendAsync(Event("r2"), default, CancellationToken.None);
        var retried = await Dispatcher(sink.Uri, ("K_RETRY", "1")).SendAsync(Event("r1"), default, CancellationToken.None);

        Assert.Equal((null, null, 204), (reset.StatusCode, empty.StatusCode, retried.StatusCode));
        Assert.NotNull(reset.Error);
        Assert.NotNull(empty.Error);
        Assert.Equal(3, sink.Arrivals);
        Assert.Single(sink.Requests);
    }

    [Fact]
    public async Task Unreachable_sink_is_retried_then_undelivered()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreePort()}/");

        var last = await Dispatcher(closedPort, ("K_RETRY", "2")).SendAsync(Event("e9"), default, CancellationToken.None);

        Assert.Null(last.StatusCode);
        Assert.NotNull(last.Error);
        Assert.Equal(2, metrics.Sum("rocketmqsource.events.retried", "none"));
    }

    [Fact]
    public async Task Bearer_token_is_sent_to_the_sink_and_reread_when_the_file_changes()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "token-one\n");
            var sink = Sink(400);
            var deadLetter = Sink();
            var dispatcher = Dispatcher(sink.Uri, ("K_AUDIENCE", "sink"), ("K_OIDC_TOKEN_PATH", tokenFile), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri));

            var last = await dispatcher.SendAsync(Event("t1"), default, CancellationToken.None);
            await dispatcher.DeadLetterAsync(Event("t1"), last, default, CancellationToken.None);
            await File.WriteAllTextAsync(tokenFile, "token-two-rotated");
            File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddMinutes(1));
            await dispatcher.SendAsync(Event("t2"), default, CancellationToken.None);

            Assert.Equal(["Bearer token-one", "Bearer token-two-rotated"], sink.Requests.Select(r => r.Header("authorization")));
            Assert.Equal(string.Empty, Assert.Single(deadLetter.Requests).Header("authorization"));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Missing_token_file_fails_the_attempt_without_sending()
    {
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);

        var last = await Dispatcher(sink.Uri, ("K_AUDIENCE", "sink"), ("K_OIDC_TOKEN_PATH", "/nonexistent/token"), ("K_RETRY", "0"))
            .SendAsync(Event("t3"), default, CancellationToken.None);

        Assert.Null(last.StatusCode);
        Assert.Contains("/nonexistent/token", last.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Http2_setting_uses_h2c_prior_knowledge_on_an_http_sink()
    {
        await using var sink = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http2);

        var last = await Dispatcher(sink.Uri, ("K_SINK_HTTP2", "true")).SendAsync(Event("h2"), default, CancellationToken.None);

        Assert.True(last.Succeeded);
        Assert.Equal("HTTP/2", Assert.Single(sink.Requests).Protocol);
    }

    [Fact]
    public async Task Https_sink_signed_by_a_private_ca_is_trusted_only_with_K_CA_CERTS()
    {
        using var certificates = new TestCertificates();
        await using var sink = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http1AndHttp2, certificates.Server);
        Assert.Equal(Uri.UriSchemeHttps, sink.Uri.Scheme);

        var untrusted = await Dispatcher(sink.Uri, ("K_RETRY", "0")).SendAsync(Event("s1"), default, CancellationToken.None);
        var trusted = await Dispatcher(sink.Uri, ("K_CA_CERTS", certificates.AuthorityPem)).SendAsync(Event("s2"), default, CancellationToken.None);
        var negotiated = await Dispatcher(sink.Uri, ("K_CA_CERTS", certificates.AuthorityPem), ("K_SINK_HTTP2", "true"))
            .SendAsync(Event("s3"), default, CancellationToken.None);

        Assert.Null(untrusted.StatusCode);
        Assert.True(trusted.Succeeded);
        Assert.True(negotiated.Succeeded);
        Assert.Equal(["s2", "s3"], sink.Requests.Select(r => r.EventId));
        Assert.Equal(["HTTP/1.1", "HTTP/2"], sink.Requests.Select(r => r.Protocol));
    }

    [Fact]
    public async Task Https_dead_letter_sink_signed_by_a_private_ca_is_trusted_with_K_DEAD_LETTER_SINK_CA_CERTS()
    {
        using var certificates = new TestCertificates();
        await using var deadLetter = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http1AndHttp2, certificates.Server);
        var rejected = new AttemptResult(400, default, null, null);
        var sink = new Uri("http://127.0.0.1:9/");

        var untrusted = await Dispatcher(sink, ("K_RETRY", "0"), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)).DeadLetterAsync(Event("d1"), rejected, default, CancellationToken.None);
        var trusted = await Dispatcher(sink, ("K_RETRY", "0"), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_DEAD_LETTER_SINK_CA_CERTS", certificates.AuthorityPem))
            .DeadLetterAsync(Event("d2"), rejected, default, CancellationToken.None);

        Assert.Null(untrusted.StatusCode);
        Assert.True(trusted.Succeeded);
        Assert.Equal(["d2"], deadLetter.Requests.Select(r => r.EventId));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
