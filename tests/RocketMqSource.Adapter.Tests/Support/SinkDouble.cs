using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// A sink whose answers a test scripts: WireMock.Net on loopback. Answers, sequences (WireMock
/// scenarios), delays and faults are WireMock's own; a connection reset, which WireMock.Net has no
/// fault for (its EMPTY_RESPONSE fault still answers with a status), and a response that never
/// comes, abort the connection in a middleware before WireMock answers. Like a Knative broker
/// ingress (Go net/http: 1 MB of headers) it takes request headers up to 1 MiB, so 16 KiB of
/// percent-encoded user properties are not refused by Kestrel's 32 KiB default.
/// </summary>
internal sealed class SinkDouble : IDisposable
{
    /// <summary>Requests carrying this <c>ce-id</c> header get no answer: the connection is aborted, before or after reading the body.</summary>
    private readonly ConcurrentDictionary<string, (int Times, bool ReadBody)> unanswered = new(StringComparer.Ordinal);
    /// <summary>WireMock prefers a lower priority number; mappings a test adds (priority 0) win over the default answer.</summary>
    private const int DefaultPriority = 1000;

    private int arrivals;
    private int held;
    private Func<int, SinkFault>? faults;
    private CancellationTokenSource hung = new();

    private SinkDouble()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            MaxRequestLogCount = null,
            AdditionalServiceRegistration = services =>
                services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestHeadersTotalSize = 1024 * 1024),
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(async (context, next) =>
            {
                var arrival = Interlocked.Increment(ref arrivals);
                switch (faults?.Invoke(arrival) ?? SinkFault.None)
                {
                    case SinkFault.Reset:
                        context.Abort();
                        return;
                    case SinkFault.NoResponse:
                        await context.Request.Body.CopyToAsync(Stream.Null);
                        context.Abort();
                        return;
                    case SinkFault.Hang:
                        Interlocked.Increment(ref held);
                        using (var released = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, hung.Token))
                        {
                            try
                            {
                                await Task.Delay(Timeout.Infinite, released.Token);
                            }
                            catch (OperationCanceledException)
                            {
                                // The client gave up, or the test moved on: nothing to answer.
                            }
                        }

                        return;
                }

                if (context.Request.Headers["ce-id"].ToString() is { Length: > 0 } id && unanswered.TryGetValue(id, out var fault) && fault.Times > 0)
                {
                    unanswered[id] = fault with { Times = fault.Times - 1 };
                    if (fault.ReadBody)
                    {
                        await context.Request.Body.CopyToAsync(Stream.Null);
                    }

                    context.Abort();
                    return;
                }

                await next(context);
            }),
        });
        Uri = new Uri(Server.Urls[0] + "/events");
    }

    public WireMockServer Server { get; }

    /// <summary>Requests that reached the sink so far, answered or not (WireMock logs a request once it has answered).</summary>
    public int Arrivals => Volatile.Read(ref arrivals);

    public Uri Uri { get; }

    /// <summary>
    /// Requests held by <see cref="SinkFault.Hang"/> whose client is still waiting. Kestrel does not
    /// notice an HTTP/1.1 client giving up once the request is read, so the client side reports it
    /// (<see cref="ClientGaveUp"/>).
    /// </summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>A client stopped waiting for a held request (its timeout).</summary>
    public void ClientGaveUp()
    {
        int current;
        do
        {
            current = Volatile.Read(ref held);
        }
        while (current > 0 && Interlocked.CompareExchange(ref held, current - 1, current) != current);
    }

    /// <summary>Every request WireMock answered, in arrival order, as the sink saw it.</summary>
    public IReadOnlyList<SinkRequest> Requests =>
        [.. Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => ToSinkRequest(e.RequestMessage))];

    public static SinkDouble Start() => new();

    /// <summary>A sink answering every request with <paramref name="status"/>, unless a mapping added later matches (this one has the lowest priority).</summary>
    public static SinkDouble Answering(int status, string body = "")
    {
        var sink = Start();
        sink.Server.Given(Posts()).AtPriority(DefaultPriority).RespondWith(Reply(status, body));
        return sink;
    }

    /// <summary>A sink answering each event's first <paramref name="failures"/> attempts with <paramref name="status"/>, then 202, counting attempts per ce-id header.</summary>
    public static SinkDouble FailingFirst(int failures, int status, ConcurrentDictionary<string, int> attempts)
    {
        var sink = Start();
        sink.Server.Given(Posts()).RespondWith(Response.Create().WithCallback(request =>
            new ResponseMessage { StatusCode = attempts.AddOrUpdate(request.Headers!["ce-id"][0], 1, (_, n) => n + 1) <= failures ? status : 202 }));
        return sink;
    }

    /// <summary>The events whose header <c>ce-id</c> reads exactly <paramref name="headerValue"/>.</summary>
    public static IRequestBuilder Event(string headerValue) => Posts().WithHeader("ce-id", new ExactMatcher(headerValue));

    public static IRequestBuilder Posts() => Request.Create().WithPath("/events").UsingPost();

    public static IResponseBuilder Reply(int status, string body = "") =>
        body.Length == 0 ? Response.Create().WithStatusCode(status) : Response.Create().WithStatusCode(status).WithBody(body);

    /// <summary>
    /// Answers the requests matching <paramref name="request"/> with <paramref name="replies"/> in
    /// order (a WireMock scenario, one state per answer), then keeps giving the last one. (WireMock.Net
    /// 1.25 starts a scenario over after a state that sets no next state, and fails a one-mapping
    /// scenario after ResetMappings: the last state loops to itself, and one answer is no scenario.)
    /// </summary>
    public void Sequence(string scenario, IRequestBuilder request, params IResponseBuilder[] replies)
    {
        if (replies.Length == 1)
        {
            Server.Given(request).RespondWith(replies[0]);
            return;
        }

        for (var i = 0; i < replies.Length; i++)
        {
            var mapping = Server.Given(request).InScenario(scenario);
            mapping = i == 0 ? mapping : mapping.WhenStateIs($"{i}");
            mapping = mapping.WillSetStateTo($"{Math.Min(i + 1, replies.Length - 1)}");
            mapping.RespondWith(replies[i]);
        }
    }

    /// <summary>The next <paramref name="times"/> requests with this <c>ce-id</c> header have their connection reset as they arrive.</summary>
    public void ResetConnection(string headerValue, int times = 1) => unanswered[headerValue] = (times, false);

    /// <summary>The next <paramref name="times"/> requests with this <c>ce-id</c> header are read whole, then the connection closes with no response.</summary>
    public void AnswerNothing(string headerValue, int times = 1) => unanswered[headerValue] = (times, true);

    /// <summary>From now on, what the sink does instead of answering, by arrival number (null: it answers again).</summary>
    public void Fail(Func<int, SinkFault>? faultForArrival) => faults = faultForArrival;

    /// <summary>Forgets every mapping, logged request and fault, for the next script (which uses a scenario name of its own).</summary>
    public void Reset(Func<int, SinkFault>? faultForArrival = null)
    {
        Server.ResetMappings();
        Server.ResetLogEntries();
        unanswered.Clear();
        Interlocked.Exchange(ref arrivals, 0);
        Interlocked.Exchange(ref held, 0);
        var previous = Interlocked.Exchange(ref hung, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
        faults = faultForArrival;
    }

    public void Dispose()
    {
        hung.Cancel();
        Server.Stop();
        hung.Dispose();
    }

    private static SinkRequest ToSinkRequest(IRequestMessage message)
    {
        var headers = (message.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        // WireMock's log does not keep the protocol version: tests of HTTP/2 use the plain Kestrel sink.
        return new SinkRequest(string.Empty, headers, message.BodyAsBytes ?? []);
    }
}

/// <summary>What the sink does instead of answering a request (by its arrival number, 1-based, since the last reset).</summary>
internal enum SinkFault
{
    None,

    /// <summary>The connection is reset as the request arrives.</summary>
    Reset,

    /// <summary>The request is read whole, then the connection closes: an empty response.</summary>
    NoResponse,

    /// <summary>Never answers: slower than any timeout (the request ends when the client gives up).</summary>
    Hang,
}
