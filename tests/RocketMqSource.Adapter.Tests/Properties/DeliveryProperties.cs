using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace RocketMqSource.Adapter.Tests.Properties;

/// <summary>One answer of a scripted sink: a status (with Retry-After), or a fault instead of an answer.</summary>
internal sealed record SinkAnswer(int Status, string? RetryAfter = null, SinkFault Fault = SinkFault.None)
{
    public bool Accepted => Fault == SinkFault.None && Status is >= 200 and < 300;

    public bool Retryable => Fault != SinkFault.None || DeliveryDecisions.IsRetryable(Status);

    public override string ToString() => Fault != SinkFault.None ? Fault.ToString() : RetryAfter is null ? $"{Status}" : $"{Status} Retry-After {RetryAfter}";
}

/// <summary>A generated case: a message, how the sink answers its attempts in turn (the last answer repeats), and whether a dead-letter sink is configured.</summary>
internal sealed record DeliveryCase(ProducedMessage Message, SinkAnswer[] Answers, bool DeadLetterSink)
{
    public override string ToString() => $"{Message}\n  sink answers [{string.Join(", ", Answers.Select(a => a.ToString()))}], dead-letter sink {(DeadLetterSink ? "yes" : "no")}";
}

/// <summary>
/// Issue 21's proof: every message a producer can send, crossed with every way a sink answers,
/// ends as docs/adapter.md says within a bound — delivered (acked after the sink's 2xx, one delivery),
/// dead-lettered with the knativeerror* extensions (acked, one delivery) or handed back on every
/// delivery until RocketMQ's max attempts move it to %DLQ% — and the sink receives docs/adapter.md's event
/// attribute by attribute and byte for byte. The real message path (converter, scheduler,
/// dispatcher, acks) runs over the in-memory POP source on the manual clock against WireMock
/// sinks on loopback; the clock moves only while no request is on its way to the sink, so
/// timeouts, backoffs, Retry-After and redeliveries happen when the test says. Cases:
/// PROPERTY_CASES (default 2,000); FsCheck shrinks a failure to the smallest message and prints it.
/// </summary>
public sealed class DeliveryProperties(ITestOutputHelper output)
{
    private const int MaxDeliveryAttempts = 4;
    private const int Retries = 2;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private static readonly Gen<SinkAnswer[]> Answers = Gen.Elements<SinkAnswer[]>(
        [new(202)], [new(200)], [new(204)],
        [new(400)], [new(413)], [new(404)], [new(503)],
        [new(429, "1"), new(202)], [new(503, "1"), new(200)], [new(500), new(202)], [new(500), new(503), new(202)],
        [new(0, Fault: SinkFault.Hang), new(202)], [new(0, Fault: SinkFault.Reset), new(202)], [new(0, Fault: SinkFault.NoResponse), new(202)],
        [new(500), new(500), new(500)], [new(0, Fault: SinkFault.Reset)]);

    private static readonly Gen<DeliveryCase> Cases =
        from message in ProducedMessages.Any
        from answers in Answers
        from deadLetterSink in Gen.Elements(true, false)
        select new DeliveryCase(message, answers, deadLetterSink);

    [Fact]
    public async Task Every_generated_message_ends_as_readme_says_and_the_sink_gets_readmes_event()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("PROPERTY_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2000;
        await using var run = await Run.StartAsync();
        var arbitrary = Arb.From(Cases, c => ProducedMessages.Shrink(c.Message).Select(m => c with { Message = m })
            .Concat(c.Answers.Length > 1 || !c.Answers[0].Accepted ? [c with { Answers = [new SinkAnswer(202)] }] : []));
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        var started = DateTime.UtcNow;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Prop.ForAll(arbitrary, c =>
        {
            run.Check(c);
            var shape = c.Message.Shape;
            shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
        }));
        output.WriteLine($"{cases} cases in {(DateTime.UtcNow - started).TotalSeconds:F1}s; ends {string.Join(", ", run.Ends.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}"))}");
        output.WriteLine(string.Join("\n", shapes.OrderBy(s => s.Key).Select(s => $"  {s.Key}: {s.Value}")));
    }

    /// <summary>Two adapters on one manual clock and one POP source each: with and without a dead-letter sink.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly ManualClock clock = new() { ControlsTimers = true };
        private readonly SinkDouble sink = SinkDouble.Start();
        private readonly SinkDouble deadLetters = SinkDouble.Answering(202);
        private readonly InFlightRequests withDeadLetters = new() { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ActivityHeadersPropagator = null } };
        private readonly InFlightRequests withoutDeadLetters = new() { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ActivityHeadersPropagator = null } };
        private readonly PopMessageSource sourceWith;
        private readonly PopMessageSource sourceWithout;
        private readonly HttpClient clientWith;
        private readonly HttpClient clientWithout;
        private ConsumerHarness? adapterWith;
        private ConsumerHarness? adapterWithout;
        private int number;

        private Run()
        {
            sourceWith = new PopMessageSource(clock) { MaxDeliveryAttempts = MaxDeliveryAttempts };
            sourceWithout = new PopMessageSource(clock) { MaxDeliveryAttempts = MaxDeliveryAttempts };
            clientWith = new HttpClient(withDeadLetters) { Timeout = Timeout.InfiniteTimeSpan };
            clientWithout = new HttpClient(withoutDeadLetters) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public Dictionary<string, long> Ends { get; } = new(StringComparer.Ordinal);

        public static async Task<Run> StartAsync()
        {
            var run = new Run();
            run.withDeadLetters.GaveUp = run.sink.ClientGaveUp;
            run.withoutDeadLetters.GaveUp = run.sink.ClientGaveUp;
            // A timeout of 30 steps: an attempt's timeout starts just before its request is counted in
            // flight, and a busy machine may let the clock move a few steps in between.
            (string, string?)[] env = [("K_RETRY", $"{Retries}"), ("K_SINK_TIMEOUT", "30"), ("NAMESPACE", "shop"), ("NAME", "orders-source")];
            run.adapterWith = ConsumerHarness.Start(run.sourceWith, run.sink.Uri, [.. env, ("K_DEAD_LETTER_SINK", run.deadLetters.Uri.AbsoluteUri)], run.clock, run.clientWith);
            run.adapterWithout = ConsumerHarness.Start(run.sourceWithout, run.sink.Uri, env, run.clock, run.clientWithout);
            await Eventually.WaitAsync(() => run.adapterWith.Readiness.IsReady && run.adapterWithout.Readiness.IsReady, "both adapters consuming");
            return run;
        }

        public void Check(DeliveryCase c) => CheckAsync(c).GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            foreach (var adapter in new[] { adapterWith, adapterWithout })
            {
                var stopping = adapter!.StopAsync();
                while (!stopping.IsCompleted)
                {
                    clock.Advance(Step);
                    await Task.Delay(5);
                }

                await adapter.DisposeAsync();
            }

            clientWith.Dispose();
            clientWithout.Dispose();
            sink.Dispose();
            deadLetters.Dispose();
        }

        private async Task CheckAsync(DeliveryCase c)
        {
            var id = $"m{++number:D6}";
            var (source, adapter, requests) = c.DeadLetterSink ? (sourceWith, adapterWith!, withDeadLetters) : (sourceWithout, adapterWithout!, withoutDeadLetters);
            Script(id, c.Answers);
            deadLetters.Server.ResetLogEntries();
            var endsBefore = adapter.Metrics.Ends();
            source.Publish(c.Message.ToPublished(id));

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(source.IsAcked(id) || source.IsInDeadLetterQueue(id)) || adapter.Metrics.Observe("rocketmqsource.messages.in_flight") != 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"message {id} did not end within 60 s: deliveries {source.Deliveries(id)}, sink requests {sink.Arrivals}, dead letters {deadLetters.Requests.Count}, ends {Show(Delta(adapter, endsBefore))}");
                }

                // Time moves only while no request is on its way (a hanging sink's request is, by design).
                if (requests.InFlight == sink.Held)
                {
                    clock.Advance(Step);
                }

                await Task.Delay(1);
            }

            var ends = Delta(adapter, endsBefore);
            foreach (var (key, count) in ends)
            {
                Ends[key] = Ends.GetValueOrDefault(key) + count;
            }

            Verify(c, id, source, ends);
        }

        private void Verify(DeliveryCase c, string id, PopMessageSource source, Dictionary<string, long> ends)
        {
            var expectation = DocumentedMapping.For(c.Message, id);
            var sent = sink.Requests;
            var deadLettered = deadLetters.Requests;
            var deliveries = source.Deliveries(id);
            string Context() => $"deliveries {deliveries}, ends {Show(ends)}, sink got {sent.Count} (answered {string.Join(" ", sink.Server.LogEntries.Select(e => $"{e.ResponseMessage.StatusCode} {e.ResponseMessage.BodyData?.BodyAsString}"))}; " +
                $"{sink.Arrivals} arrived), dead-letter sink got {deadLettered.Count}";

            EndReason failure;
            if (expectation.Event is { } expected)
            {
                // Attempts of the first delivery, as the retry rules go: the first 2xx, a non-retryable answer, or the retries run out.
                var outcome = Enumerable.Range(0, Retries + 1).Select(i => c.Answers[Math.Min(i, c.Answers.Length - 1)])
                    .Select((answer, attempt) => (answer, attempt)).First(a => a.answer.Accepted || !a.answer.Retryable || a.attempt == Retries);
                foreach (var request in sent)
                {
                    DocumentedMapping.AssertSame(expected, request, $"the sink's request ({Context()})");
                    AssertTraceParent(expectation.TraceParent, request.Header("traceparent"));
                }

                if (outcome.answer.Accepted)
                {
                    Assert.True(source.IsAcked(id), $"delivered: acked ({Context()})");
                    Assert.Equal(1, deliveries);
                    Assert.True(Show(ends) == "delivered/accepted 1", $"delivered once ({Context()})");
                    Assert.Empty(deadLettered);
                    return;
                }

                failure = outcome.answer.Retryable ? EndReason.RetriesExhausted : EndReason.SinkRejected;
                if (c.DeadLetterSink)
                {
                    var copy = Assert.Single(deadLettered);
                    DocumentedMapping.AssertSame(expected, copy, $"the dead-letter sink's request ({Context()})", deadLetter: true);
                    Assert.Equal(sink.Uri.AbsoluteUri, copy.Header("ce-knativeerrordest"));
                    Assert.Equal(outcome.answer.Fault == SinkFault.None ? $"{outcome.answer.Status}" : string.Empty, copy.Header("ce-knativeerrorcode"));
                    // The response body, or without a response the error in words: the data always says why.
                    Assert.True(outcome.answer.Fault == SinkFault.None || copy.Header("ce-knativeerrordata").Length > 0, $"knativeerrordata ({Context()})");
                }
            }
            else
            {
                failure = expectation.Failure!.Value;
                Assert.Empty(sent);
                if (c.DeadLetterSink)
                {
                    var copy = Assert.Single(deadLettered);
                    DocumentedMapping.AssertSame(DocumentedMapping.Plain(c.Message, id), copy, $"the dead-letter sink's request ({Context()})", deadLetter: true);
                    Assert.NotEmpty(copy.Header("ce-knativeerrordata"));
                }
            }

            var reason = MessageEnds.Label(failure);
            if (c.DeadLetterSink)
            {
                Assert.True(source.IsAcked(id), $"dead-lettered: acked ({Context()})");
                Assert.Equal(1, deliveries);
                Assert.True(Show(ends) == $"dead_lettered/{reason} 1", $"dead-lettered: {reason} ({Context()})");
            }
            else
            {
                Assert.True(source.IsInDeadLetterQueue(id), $"handed back until RocketMQ's %DLQ% ({Context()})");
                Assert.Equal(MaxDeliveryAttempts, deliveries);
                Assert.True(Show(ends) == $"handed_back/{reason} {MaxDeliveryAttempts}", $"handed back: {reason} ({Context()})");
            }
        }

        /// <summary>The sink's script: statuses in a WireMock scenario, faults by arrival (a fault never reaches WireMock, so it does not advance the scenario).</summary>
        private void Script(string scenario, SinkAnswer[] answers)
        {
            // Attempt k of every delivery follows the script, delivery after delivery: the last answer repeats.
            sink.Reset(arrival => answers[Math.Min(arrival - 1, answers.Length - 1)].Fault);
            var statuses = answers.Where(a => a.Fault == SinkFault.None).Select(a => a.RetryAfter is null
                ? SinkDouble.Reply(a.Status)
                : SinkDouble.Reply(a.Status).WithHeader("Retry-After", a.RetryAfter)).ToArray();
            if (statuses.Length > 0)
            {
                sink.Sequence(scenario, SinkDouble.Posts(), statuses);
            }
        }

        /// <summary>
        /// docs/operations.md (traces): the producer's context passed through, or, while something records the adapter's
        /// spans (another test's listener in this process), the adapter's span in the same trace.
        /// </summary>
        private static void AssertTraceParent(string? expected, string header)
        {
            if (expected is null)
            {
                Assert.True(header.Length == 0 || System.Diagnostics.ActivityContext.TryParse(header, null, out _), $"traceparent {header}");
                return;
            }

            Assert.True(header == expected || (header.Length == expected.Length && header[..35] == expected[..35]), $"traceparent {header}, expected the trace of {expected}");
        }

        private static Dictionary<string, long> Delta(ConsumerHarness adapter, IReadOnlyDictionary<string, long> before) =>
            adapter.Metrics.Ends().Select(e => (e.Key, Count: e.Value - before.GetValueOrDefault(e.Key))).Where(e => e.Count != 0).ToDictionary(e => e.Key, e => e.Count, StringComparer.Ordinal);

        private static string Show(Dictionary<string, long> ends) => string.Join(", ", ends.Select(e => $"{e.Key} {e.Value}"));
    }
}

/// <summary>Counts requests on their way between the adapter and the sinks (sent, not yet answered).</summary>
internal sealed class InFlightRequests : DelegatingHandler
{
    private int inFlight;

    /// <summary>Called when a request ends because the client gave up on it (a timeout).</summary>
    public Action? GaveUp { get; set; }

    public int InFlight => Volatile.Read(ref inFlight);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            GaveUp?.Invoke();
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }
}
