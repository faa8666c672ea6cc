using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Sends one event to the sink in HTTP binary mode with Knative's retry rules, and to the
/// dead-letter sink (with the error extensions) when the sink does not take it.
/// </summary>
internal sealed partial class EventDispatcher(
    HttpClient client,
    SinkOptions sink,
    DeliveryDecisions decisions,
    AdapterMetrics metrics,
    TimeProvider time,
    ILogger<EventDispatcher> logger,
    ISinkTokenSource? tokenSource = null)
{
    private readonly ISinkTokenSource? tokens = tokenSource ?? (sink.Audience is null ? null : new FileSinkTokenProvider(sink.OidcTokenPath));

    public async Task<DispatchOutcome> DispatchAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var last = await SendWithRetriesAsync(sink.Uri, cloudEvent, sink.Audience, cancellationToken);
        if (last.Succeeded)
        {
            metrics.Delivered.Increment(last.CodeLabel);
            return new DispatchOutcome(DispatchResult.Delivered, last);
        }

        LogSinkFailed(cloudEvent.Id!, last.CodeLabel, last.Error);
        return await DeadLetterAsync(cloudEvent, last, cancellationToken);
    }

    /// <summary>Sends the event to the dead-letter sink, if one is configured, describing why the sink did not take it.</summary>
    public async Task<DispatchOutcome> DeadLetterAsync(CloudEvent cloudEvent, AttemptResult reason, CancellationToken cancellationToken)
    {
        if (sink.DeadLetterSink is not { } deadLetterSink)
        {
            return new DispatchOutcome(DispatchResult.Undelivered, reason);
        }

        var withError = StringExtensions.Set(cloudEvent, DeadLetterExtensions.For(sink.Uri, reason));
        // A projected token is issued for the sink's audience only; TokenRequests (Knative's
        // authentication-oidc) can ask for the dead-letter sink's audience too, as Knative's adapters do.
        var deadLetterAudience = sink.TokenRequest is not null ? sink.DeadLetterAudience : null;
        var result = await SendWithRetriesAsync(deadLetterSink, withError, deadLetterAudience, cancellationToken);
        if (result.Succeeded)
        {
            metrics.DeadLettered.Increment(reason.CodeLabel);
            LogDeadLettered(cloudEvent.Id!, reason.CodeLabel);
            return new DispatchOutcome(DispatchResult.DeadLettered, reason);
        }

        LogDeadLetterFailed(cloudEvent.Id!, result.CodeLabel, result.Error);
        return new DispatchOutcome(DispatchResult.Undelivered, reason);
    }

    private async Task<AttemptResult> SendWithRetriesAsync(Uri target, CloudEvent cloudEvent, string? audience, CancellationToken cancellationToken)
    {
        // One content for every attempt: the ce- headers are written once, and byte[] data is the body as it is.
        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);
        for (var attempts = 1; ; attempts++)
        {
            var result = await SendOnceAsync(target, content, audience, cancellationToken);
            if (!decisions.ShouldRetry(result, attempts))
            {
                return result;
            }

            var wait = decisions.DelayBeforeRetry(attempts, result, time.GetUtcNow());
            metrics.Retried.Increment(result.CodeLabel);
            LogRetrying(cloudEvent.Id!, result.CodeLabel, attempts, wait.TotalMilliseconds);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<AttemptResult> SendOnceAsync(Uri target, HttpContent content, string? audience, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(sink.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Not disposed: that would dispose the content, which the next attempt sends again.
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            (request.Version, request.VersionPolicy) = SinkHttpClientFactory.VersionFor(target, sink.Http2);
            if (tokens is not null && audience is not null)
            {
                request.Headers.Authorization = new("Bearer", await tokens.GetTokenAsync(audience, attempt.Token));
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            var body = code is >= 200 and < 300 ? ReadOnlyMemory<byte>.Empty : await ReadPrefixAsync(response.Content, attempt.Token);
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
            return new AttemptResult(code, body, retryAfter, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AttemptResult.NoResponse($"no response within {sink.Timeout.TotalSeconds}s");
        }
        catch (HttpRequestException e)
        {
            return AttemptResult.NoResponse(e.Message);
        }
        catch (Exception e) when (e is SinkTokenUnavailableException or IOException)
        {
            // The token could not be read: nothing was sent, which counts like no response.
            return AttemptResult.NoResponse(e.Message);
        }
        finally
        {
            metrics.DispatchLatency.Observe(time.GetElapsedTime(started).TotalSeconds);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "sink did not accept event {EventId}: last response {ResponseCode} {Error}")]
    private partial void LogSinkFailed(string eventId, string responseCode, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "event {EventId} sent to the dead-letter sink (sink response {ResponseCode})")]
    private partial void LogDeadLettered(string eventId, string responseCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dead-letter sink did not accept event {EventId}: last response {ResponseCode} {Error}")]
    private partial void LogDeadLetterFailed(string eventId, string responseCode, string? error);
}
