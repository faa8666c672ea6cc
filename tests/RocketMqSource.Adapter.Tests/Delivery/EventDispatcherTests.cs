using System.Text;
using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Delivery;

public sealed class EventDispatcherTests : IDisposable
{
    private readonly AdapterMetrics metrics = new();
    private readonly List<IDisposable> disposables = [];

    public void Dispose() => disposables.ForEach(d => d.Dispose());

    private EventDispatcher Dispatcher(Uri sink, params (string Name, string? Value)[] env) => Dispatcher(sink, TimeProvider.System, env);

    private EventDispatcher Dispatcher(Uri sink, TimeProvider clock, params (string Name, string? Value)[] env)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), .. env]));
        var client = SinkHttpClientFactory.Create(options.Sink, 8);
        disposables.Add(client);
        return new EventDispatcher(client, options.Sink, new DeliveryDecisions(options.Retry), metrics, clock, NullLogger<EventDispatcher>.Instance);
    }

    private static CloudEvent Event(string id, string data = "{}") => new()
    {
        Id = id,
        Source = new Uri("/test", UriKind.Relative),
        Type = "dev.knative.rocketmq.event",
        DataContentType = "application/json",
        Data = Encoding.UTF8.GetBytes(data),
    };

    private static Func<SinkRequest, Task<SinkReply>> Sequence(params SinkReply[] replies)
    {
        var index = -1;
        return _ => Task.FromResult(replies[Math.Min(Interlocked.Increment(ref index), replies.Length - 1)]);
    }

    [Fact]
    public async Task Accepted_event_is_delivered_once()
    {
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);
        var outcome = await Dispatcher(sink.Uri).DispatchAsync(Event("e1", """{"order":1}"""), CancellationToken.None);

        Assert.Equal(DispatchResult.Delivered, outcome.Result);
        var request = Assert.Single(sink.Requests);
        Assert.Equal("e1", request.EventId);
        Assert.Equal("""{"order":1}""", Encoding.UTF8.GetString(request.Body));
        Assert.Equal("HTTP/1.1", request.Protocol);
        Assert.Equal(string.Empty, request.Header("authorization"));
        Assert.Equal(1, metrics.Delivered.Value("202"));
    }

    [Fact]
    public async Task Retryable_failures_are_retried_with_a_fresh_request_until_accepted()
    {
        await using var sink = await LoopbackSink.StartAsync(Sequence(new(503), new(500), new(200)));

        var outcome = await Dispatcher(sink.Uri).DispatchAsync(Event("e2", "\"payload\""), CancellationToken.None);

        Assert.Equal(DispatchResult.Delivered, outcome.Result);
        // One HttpContent serves every attempt: each one carries the whole body and every header again.
        Assert.Equal(3, sink.Requests.Count);
        Assert.All(sink.Requests, r => Assert.Equal(("\"payload\"", "e2", "application/json"), (Encoding.UTF8.GetString(r.Body), r.EventId, r.Header("content-type"))));
        Assert.Equal((1, 1, 1), (metrics.Retried.Value("503"), metrics.Retried.Value("500"), metrics.Delivered.Value("200")));
        Assert.Equal(3, metrics.DispatchLatency.Count);
    }

    [Fact]
    public async Task Non_retryable_failure_without_dead_letter_sink_is_not_retried_and_not_delivered()
    {
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(400, "missing field"));

        var outcome = await Dispatcher(sink.Uri).DispatchAsync(Event("e3"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, outcome.Result);
        Assert.Equal(400, outcome.LastAttempt.StatusCode);
        Assert.Single(sink.Requests);
        Assert.Equal(0, metrics.Retried.Value("400"));
    }

    [Fact]
    public async Task Non_retryable_failure_goes_to_the_dead_letter_sink_with_knative_error_extensions()
    {
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(422, "order has no items"));
        await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);

        var outcome = await Dispatcher(sink.Uri, ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri))
            .DispatchAsync(Event("e4", "body-4"), CancellationToken.None);

        Assert.Equal(DispatchResult.DeadLettered, outcome.Result);
        Assert.Single(sink.Requests);
        var copy = Assert.Single(deadLetter.Requests);
        Assert.Equal("e4", copy.EventId);
        Assert.Equal("body-4", Encoding.UTF8.GetString(copy.Body));
        Assert.Equal(sink.Uri.AbsoluteUri, copy.Header("ce-knativeerrordest"));
        Assert.Equal("422", copy.Header("ce-knativeerrorcode"));
        Assert.Equal("order has no items", Encoding.UTF8.GetString(Convert.FromBase64String(copy.Header("ce-knativeerrordata"))));
        Assert.Equal(1, metrics.DeadLettered.Value("422"));
    }

    [Fact]
    public async Task Exhausted_retries_go_to_the_dead_letter_sink()
    {
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(503, "busy"));
        await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);

        var outcome = await Dispatcher(sink.Uri, ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_RETRY", "2"))
            .DispatchAsync(Event("e5"), CancellationToken.None);

        Assert.Equal(DispatchResult.DeadLettered, outcome.Result);
        Assert.Equal(3, sink.Requests.Count);
        Assert.Equal("503", Assert.Single(deadLetter.Requests).Header("ce-knativeerrorcode"));
        Assert.Equal(2, metrics.Retried.Value("503"));
    }

    [Fact]
    public async Task Failing_dead_letter_sink_leaves_the_event_undelivered()
    {
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(400));
        await using var deadLetter = await LoopbackSink.StartAsync(new SinkReply(500));

        var outcome = await Dispatcher(sink.Uri, ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_RETRY", "1"))
            .DispatchAsync(Event("e6"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, outcome.Result);
        Assert.Equal(2, deadLetter.Requests.Count);
        Assert.Equal(0, metrics.DeadLettered.Value("400"));
    }

    [Fact]
    public async Task Retry_after_is_honoured_on_the_injected_clock()
    {
        await using var sink = await LoopbackSink.StartAsync(Sequence(
            new SinkReply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }), new SinkReply(200)));
        var clock = new ManualClock { ControlsTimers = true };

        var dispatching = Dispatcher(sink.Uri, clock, ("K_SINK_TIMEOUT", "2")).DispatchAsync(Event("e7"), CancellationToken.None);
        // Retried is counted just before the wait starts; the attempt's own timeout timer is gone by then.
        await Eventually.WaitAsync(() => metrics.Retried.Value("429") == 1 && clock.PendingTimers == 1, "the 429, then the wait before the retry");
        clock.Advance(TimeSpan.FromMilliseconds(999));

        // Only the clock could start the retry, and it has not reached Retry-After yet.
        Assert.Single(sink.Requests);
        Assert.False(dispatching.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await dispatching.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(DispatchResult.Delivered, outcome.Result);
        Assert.Equal(2, sink.Requests.Count);
        Assert.Equal(1, metrics.Retried.Value("429"));
    }

    [Fact]
    public async Task Slow_sink_times_out_on_the_injected_clock_and_is_retried()
    {
        var calls = 0;
        var hang = new TaskCompletionSource();
        await using var sink = await LoopbackSink.StartAsync(async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await hang.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            return SinkReply.Accepted;
        });
        var clock = new ManualClock { ControlsTimers = true };

        var dispatching = Dispatcher(sink.Uri, clock, ("K_SINK_TIMEOUT", "1")).DispatchAsync(Event("e8"), CancellationToken.None);
        await Eventually.WaitAsync(() => sink.Requests.Count == 1, "the first attempt at the sink");
        Assert.False(dispatching.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => metrics.Retried.Value("none") == 1 && clock.PendingTimers == 1, "the timed-out attempt counted, the backoff waiting");
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var outcome = await dispatching.WaitAsync(TimeSpan.FromSeconds(20));
        hang.SetResult();

        Assert.Equal(DispatchResult.Delivered, outcome.Result);
        Assert.Equal(2, sink.Requests.Count);
    }

    [Fact]
    public async Task Unreachable_sink_is_retried_then_undelivered()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreePort()}/");

        var outcome = await Dispatcher(closedPort, ("K_RETRY", "2")).DispatchAsync(Event("e9"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, outcome.Result);
        Assert.Null(outcome.LastAttempt.StatusCode);
        Assert.NotNull(outcome.LastAttempt.Error);
        Assert.Equal(2, metrics.Retried.Value("none"));
    }

    [Fact]
    public async Task Bearer_token_is_sent_to_the_sink_and_reread_when_the_file_changes()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "token-one\n");
            await using var sink = await LoopbackSink.StartAsync(new SinkReply(400));
            await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);
            var dispatcher = Dispatcher(sink.Uri, ("K_AUDIENCE", "sink"), ("K_OIDC_TOKEN_PATH", tokenFile), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri));

            await dispatcher.DispatchAsync(Event("t1"), CancellationToken.None);
            await File.WriteAllTextAsync(tokenFile, "token-two-rotated");
            File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddMinutes(1));
            await dispatcher.DispatchAsync(Event("t2"), CancellationToken.None);

            Assert.Equal(["Bearer token-one", "Bearer token-two-rotated"], sink.Requests.Select(r => r.Header("authorization")));
            Assert.All(deadLetter.Requests, r => Assert.Equal(string.Empty, r.Header("authorization")));
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

        var outcome = await Dispatcher(sink.Uri, ("K_AUDIENCE", "sink"), ("K_OIDC_TOKEN_PATH", "/nonexistent/token"), ("K_RETRY", "0"))
            .DispatchAsync(Event("t3"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, outcome.Result);
        Assert.Contains("/nonexistent/token", outcome.LastAttempt.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Http2_setting_uses_h2c_prior_knowledge_on_an_http_sink()
    {
        await using var sink = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http2);

        var outcome = await Dispatcher(sink.Uri, ("K_SINK_HTTP2", "true")).DispatchAsync(Event("h2"), CancellationToken.None);

        Assert.Equal(DispatchResult.Delivered, outcome.Result);
        Assert.Equal("HTTP/2", Assert.Single(sink.Requests).Protocol);
    }

    [Fact]
    public async Task Https_sink_signed_by_a_private_ca_is_trusted_only_with_K_CA_CERTS()
    {
        using var certificates = new TestCertificates();
        await using var sink = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http1AndHttp2, certificates.Server);
        Assert.Equal(Uri.UriSchemeHttps, sink.Uri.Scheme);

        var untrusted = await Dispatcher(sink.Uri, ("K_RETRY", "0")).DispatchAsync(Event("s1"), CancellationToken.None);
        var trusted = await Dispatcher(sink.Uri, ("K_CA_CERTS", certificates.AuthorityPem)).DispatchAsync(Event("s2"), CancellationToken.None);
        var negotiated = await Dispatcher(sink.Uri, ("K_CA_CERTS", certificates.AuthorityPem), ("K_SINK_HTTP2", "true"))
            .DispatchAsync(Event("s3"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, untrusted.Result);
        Assert.Null(untrusted.LastAttempt.StatusCode);
        Assert.Equal(DispatchResult.Delivered, trusted.Result);
        Assert.Equal(DispatchResult.Delivered, negotiated.Result);
        Assert.Equal(["s2", "s3"], sink.Requests.Select(r => r.EventId));
        Assert.Equal(["HTTP/1.1", "HTTP/2"], sink.Requests.Select(r => r.Protocol));
    }

    [Fact]
    public async Task Https_dead_letter_sink_signed_by_a_private_ca_is_trusted_with_K_DEAD_LETTER_SINK_CA_CERTS()
    {
        using var certificates = new TestCertificates();
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(400));
        await using var deadLetter = await LoopbackSink.StartAsync(_ => Task.FromResult(SinkReply.Accepted), HttpProtocols.Http1AndHttp2, certificates.Server);

        var untrusted = await Dispatcher(sink.Uri, ("K_RETRY", "0"), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri)).DispatchAsync(Event("d1"), CancellationToken.None);
        var trusted = await Dispatcher(sink.Uri, ("K_RETRY", "0"), ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_DEAD_LETTER_SINK_CA_CERTS", certificates.AuthorityPem))
            .DispatchAsync(Event("d2"), CancellationToken.None);

        Assert.Equal(DispatchResult.Undelivered, untrusted.Result);
        Assert.Equal(DispatchResult.DeadLettered, trusted.Result);
        Assert.Equal(["d2"], deadLetter.Requests.Select(r => r.EventId));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
