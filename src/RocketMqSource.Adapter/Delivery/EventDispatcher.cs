using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Sends one event to the sink with Knative's retry rules, and to the dead-letter sink (with the
/// error extensions) when the sink does not take it.
/// </summary>
internal sealed partial class EventDispatcher(
    HttpClient client,
    SinkOptions sink,
    DeliveryDecisions decisions,
    ISinkTokenProvider? tokens,
    AdapterMetrics metrics,
    TimeProvider time,
    ILogger<EventDispatcher> logger)
{
    public async Task<DispatchOutcome> DispatchAsync(IOutgoingEvent outgoing, IInvisibilityLease lease, CancellationToken cancellationToken)
    {
        var last = await SendWithRetriesAsync(sink.Uri, outgoing, lease, tokens, cancellationToken);
        if (last.Succeeded)
        {
            metrics.Delivered.Increment(last.CodeLabel);
            return new DispatchOutcome(DispatchResult.Delivered, last);
        }

        LogSinkFailed(outgoing.Id, last.CodeLabel, last.Error);
        return await DeadLetterAsync(outgoing, last, lease, cancellationToken);
    }

    /// <summary>Sends the event to the dead-letter sink, if one is configured, describing why the sink did not take it.</summary>
    public async Task<DispatchOutcome> DeadLetterAsync(IOutgoingEvent outgoing, AttemptResult reason, IInvisibilityLease lease, CancellationToken cancellationToken)
    {
        if (sink.DeadLetterSink is not { } deadLetterSink)
        {
            return new DispatchOutcome(DispatchResult.Undelivered, reason);
        }

        var copy = outgoing.WithExtensions(DeadLetterExtensions.For(sink.Uri, reason));
        // The OIDC token is issued for the sink's audience, so it is not sent to the dead-letter sink.
        var result = await SendWithRetriesAsync(deadLetterSink, copy, lease, tokenProvider: null, cancellationToken);
        if (result.Succeeded)
        {
            metrics.DeadLettered.Increment(reason.CodeLabel);
            LogDeadLettered(outgoing.Id, reason.CodeLabel);
            return new DispatchOutcome(DispatchResult.DeadLettered, reason);
        }

        LogDeadLetterFailed(outgoing.Id, result.CodeLabel, result.Error);
        return new DispatchOutcome(DispatchResult.Undelivered, reason);
    }

    private async Task<AttemptResult> SendWithRetriesAsync(Uri target, IOutgoingEvent outgoing, IInvisibilityLease lease, ISinkTokenProvider? tokenProvider, CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (true)
        {
            await lease.KeepInvisibleForAsync(sink.Timeout, cancellationToken);
            var result = await SendOnceAsync(target, outgoing, tokenProvider, cancellationToken);
            attempts++;
            if (!decisions.ShouldRetry(result, attempts))
            {
                return result;
            }

            var wait = decisions.DelayBeforeRetry(attempts, result, time.GetUtcNow());
            metrics.Retried.Increment(result.CodeLabel);
            LogRetrying(outgoing.Id, result.CodeLabel, attempts, wait.TotalMilliseconds);
            await lease.KeepInvisibleForAsync(wait + sink.Timeout, cancellationToken);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<AttemptResult> SendOnceAsync(Uri target, IOutgoingEvent outgoing, ISinkTokenProvider? tokenProvider, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(sink.Timeout);
        try
        {
            using var request = outgoing.CreateRequest(target);
            (request.Version, request.VersionPolicy) = SinkHttpClientFactory.VersionFor(target, sink.Http2);
            if (tokenProvider is not null)
            {
                request.Headers.Authorization = new("Bearer", await tokenProvider.GetTokenAsync(attemptTimeout.Token));
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
            var code = (int)response.StatusCode;
            var body = code is >= 200 and < 300 ? ReadOnlyMemory<byte>.Empty : await ReadPrefixAsync(response.Content, attemptTimeout.Token);
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
