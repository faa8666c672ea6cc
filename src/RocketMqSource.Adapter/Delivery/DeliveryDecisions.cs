using System.Globalization;
using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>The Knative data-plane rules for one delivery, free of I/O.</summary>
internal sealed class DeliveryDecisions(RetryOptions options)
{
    public RetryOptions Options { get; } = options;

    /// <summary>Knative's retry set: no response (network error, timeout), 404, 408, 409, 429 and every 5xx.</summary>
    public static bool IsRetryable(int? statusCode) => statusCode switch
    {
        null => true,
        404 or 408 or 409 or 429 => true,
        >= 500 and < 600 => true,
        _ => false,
    };

    /// <summary>Whether another attempt follows <paramref name="result"/>, given the attempts made so far (1 = the first).</summary>
    public bool ShouldRetry(AttemptResult result, int attemptsMade) =>
        !result.Succeeded && IsRetryable(result.StatusCode) && attemptsMade <= Options.Retry;

    /// <summary>
    /// The wait before retry number <paramref name="retryNumber"/> (1-based): linear delay×n or
    /// exponential delay×2^n, stretched to Retry-After on 429/503 up to the configured cap.
    /// </summary>
    public TimeSpan DelayBeforeRetry(int retryNumber, AttemptResult previous, DateTimeOffset now)
    {
        var backoff = Backoff(retryNumber);
        if (previous.StatusCode is 429 or 503 && ParseRetryAfter(previous.RetryAfter, now) is { } retryAfter)
        {
            var capped = retryAfter < Options.RetryAfterMax ? retryAfter : Options.RetryAfterMax;
            return capped > backoff ? capped : backoff;
        }

        return backoff;
    }

    public TimeSpan Backoff(int retryNumber)
    {
        var factor = Options.BackoffPolicy == BackoffPolicy.Linear ? retryNumber : Math.Pow(2, Math.Min(retryNumber, 30));
        var ticks = Options.BackoffDelay.Ticks * factor;
        return ticks >= TimeSpan.FromHours(1).Ticks ? TimeSpan.FromHours(1) : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delta = date - now;
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }

        return null;
    }
}
