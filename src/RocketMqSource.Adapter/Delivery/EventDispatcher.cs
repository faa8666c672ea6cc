using System.Diagnostics;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Conversion;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Sends one event to the sink in HTTP binary mode with Knative's retry rules, or to the
/// dead-letter sink with the error extensions. Whether a failed event goes there is
/// <see cref="MessageEnds"/>' decision, not the dispatcher's.
/// </summary>
internal sealed partial class EventDispatcher(
    HttpClient client,
    SinkOptions sink,
    DeliveryDecisions decisions,
    AdapterTelemetry telemetry,
    TimeProvider time,
    ILogger<EventDispatcher> logger,
    ISinkTokenSource? tokens)
{
    private readonly AttemptTimeouts timeouts = new(sink.Timeout, time);

    /// <summary>The prefix of the CloudEvents formats' media types (application/cloudevents+json, application/cloudevents-batch+json).</summary>
    private const string CloudEventsMediaType = "application/cloudevents";

    public bool HasDeadLetterSink => sink.DeadLetterSink is not null;

    /// <summary>
    /// Sends the event to the sink, retrying as Knative's rules say; returns the last attempt (2xx
    /// when delivered). Throws <see cref="EventEncodingException"/> when the event cannot be
    /// written as a request at all, which no retry would change.
    /// </summary>
    public Task<AttemptResult> SendAsync(CloudEvent cloudEvent, TraceHeaders trace, CancellationToken cancellationToken) =>
        SendAsync(ConvertedEvent.Of(cloudEvent), trace, cancellationToken);

    /// <inheritdoc cref="SendAsync(CloudEvent, TraceHeaders, CancellationToken)"/>
    public async Task<AttemptResult> SendAsync(ConvertedEvent converted, TraceHeaders trace, CancellationToken cancellationToken)
    {
        var last = await SendWithRetriesAsync(sink.Uri, converted, sink.Audience, trace, cancellationToken);
        if (last.Succeeded)
        {
            telemetry.Delivered(last);
        }

        return last;
    }

    /// <summary>
    /// Sends the event to the dead-letter sink with Knative's error extensions describing
    /// <paramref name="reason"/>; returns its last attempt (2xx when it took the event). Throws <see cref="EventEncodingException"/>
    /// like <see cref="SendAsync"/>.
    /// </summary>
    public async Task<AttemptResult> DeadLetterAsync(CloudEvent cloudEvent, AttemptResult reason, TraceHeaders trace, CancellationToken cancellationToken)
    {
        var deadLetterSink = sink.DeadLetterSink ?? throw new InvalidOperationException("no dead-letter sink is configured");
        var withError = StringExtensions.Set(cloudEvent, DeadLetterExtensions.For(sink.Uri, reason));
        // A projected token is issued for the sink's audience only; TokenRequests (Knative's
        // authentication-oidc) can ask for the dead-letter sink's audience too, as Knative's adapters do.
        var deadLetterAudience = sink.TokenRequest is not null ? sink.DeadLetterAudience : null;
        var result = await SendWithRetriesAsync(deadLetterSink, ConvertedEvent.Of(withError), deadLetterAudience, trace, cancellationToken);
        if (result.Succeeded)
        {
            telemetry.DeadLettered(reason);
            DeliveryTracing.Event(Activity.Current, "dead_lettered", reason.StatusCode);
        }

        return result;
    }

    /// <summary>
    /// The binary-mode request body and headers, as the SDK's HTTP binding writes them
    /// (<see cref="BinaryModeContent"/>, held to the SDK's bytes by a property test); an event whose
    /// data is itself a CloudEvent goes in structured mode, written by the SDK.
    /// </summary>
    internal static HttpContent BinaryContent(CloudEvent cloudEvent) => BinaryContent(ConvertedEvent.Of(cloudEvent));

    /// <inheritdoc cref="BinaryContent(CloudEvent)"/>
    internal static HttpContent BinaryContent(ConvertedEvent converted)
    {
        try
        {
            if (converted.Attributes is not null)
            {
                // A plain message's event: never a CloudEvents format as its content type (DataContentType).
                return BinaryModeContent.For(converted, AdapterEventFormatter.Instance);
            }

            var cloudEvent = converted.ToCloudEvent();
            if (cloudEvent.DataContentType is { } dataContentType && dataContentType.StartsWith(CloudEventsMediaType, StringComparison.OrdinalIgnoreCase))
            {
                // Data that is itself a CloudEvent (datacontenttype application/cloudevents+json): as
                // the Content-Type of a binary-mode request that would read as a structured event, so
                // this event goes in structured mode, its data as data_base64 (HTTP binding §3.1).
                return cloudEvent.ToHttpContent(ContentMode.Structured, AdapterEventFormatter.Instance);
            }

            return BinaryModeContent.For(cloudEvent, AdapterEventFormatter.Instance);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new EventEncodingException($"the event cannot be sent over HTTP: {e.Message}", e);
        }
    }

    private async Task<AttemptResult> SendWithRetriesAsync(Uri target, ConvertedEvent converted, string? audience, TraceHeaders trace, CancellationToken cancellationToken)
    {
        // One content for every attempt: the ce- headers are written once, and byte[] data is the body as it is.
        using var content = BinaryContent(converted);
        for (var attempts = 1; ; attempts++)
        {
            var result = await SendOnceAsync(target, content, audience, trace, cancellationToken);
            if (!decisions.ShouldRetry(result, attempts))
            {
                return result;
            }

            var wait = decisions.DelayBeforeRetry(attempts, result, time.GetUtcNow());
            telemetry.Retried(result);
            DeliveryTracing.Event(Activity.Current, "retry", result.StatusCode);
            LogRetrying(converted.Id, result.CodeLabel, attempts, wait.TotalMilliseconds);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<AttemptResult> SendOnceAsync(Uri target, HttpContent content, string? audience, TraceHeaders trace, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        AttemptResult? result = null;
        using var attempt = timeouts.Start(cancellationToken);
        try
        {
            // Not disposed: that would dispose the content, which the next attempt sends again.
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            (request.Version, request.VersionPolicy) = SinkHttpClientFactory.VersionFor(target, sink.Http2);
            // The header, not only the ce-traceparent extension: Knative brokers and services read the header.
            if (trace.TraceParent is not null)
            {
                request.Headers.TryAddWithoutValidation(DeliveryTracing.TraceParent, trace.TraceParent);
                if (!string.IsNullOrEmpty(trace.TraceState))
                {
                    request.Headers.TryAddWithoutValidation(DeliveryTracing.TraceState, trace.TraceState);
                }
            }

            if (tokens is not null && audience is not null)
            {
                request.Headers.Authorization = new("Bearer", await tokens.GetTokenAsync(audience, attempt.Token));
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            var body = code is >= 200 and < 300 ? ReadOnlyMemory<byte>.Empty : await ReadPrefixAsync(response.Content, attempt.Token);
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
            result = new AttemptResult(code, body, retryAfter, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = AttemptResult.NoResponse($"no response within {sink.Timeout.TotalSeconds}s");
        }
        catch (HttpRequestException e)
        {
            result = AttemptResult.NoResponse(e.Message);
        }
        catch (Exception e) when (e is SinkTokenUnavailableException or IOException)
        {
            // The token could not be read: nothing was sent, which counts like no response.
            result = AttemptResult.NoResponse(e.Message);
        }
        finally
        {
            // A cancelled attempt (shutdown) has no result and is not measured.
            if (result is not null)
            {
                telemetry.Dispatched(result, time.GetElapsedTime(started));
            }
        }

        return result;
    }

    /// <summary>At most the bytes Knative keeps for knativeerrordata; the rest of a failed response is not needed.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[DeadLetterExtensions.MaxDataBytes];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return buffer.AsMemory(0, filled);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "retrying event {EventId} after response {ResponseCode} (attempt {Attempt}) in {DelayMs} ms")]
    private partial void LogRetrying(string eventId, string responseCode, int attempt, double delayMs);
}

/// <summary>An event the SDK's HTTP binding (or the formatter) refuses to write: it never will, so it is no retryable failure.</summary>
internal sealed class EventEncodingException(string message, Exception inner) : Exception(message, inner);
