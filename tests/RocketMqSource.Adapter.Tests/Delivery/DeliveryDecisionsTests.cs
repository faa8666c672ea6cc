using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Delivery;

public class DeliveryDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static DeliveryDecisions Decisions(BackoffPolicy policy = BackoffPolicy.Exponential, int retry = 3, double delayMs = 200, double capSeconds = 30) =>
        new(new RetryOptions(retry, policy, TimeSpan.FromMilliseconds(delayMs), TimeSpan.FromSeconds(capSeconds)));

    private static AttemptResult Status(int code, string? retryAfter = null) => new(code, ReadOnlyMemory<byte>.Empty, retryAfter, null);

    [Theory]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void Knative_retry_set_is_retryable(int code) => Assert.True(DeliveryDecisions.IsRetryable(code));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(405)]
    [InlineData(410)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(422)]
    [InlineData(301)]
    public void Other_failures_are_not_retried(int code) => Assert.False(DeliveryDecisions.IsRetryable(code));

    [Fact]
    public void No_response_is_retryable() => Assert.True(DeliveryDecisions.IsRetryable(null));

    [Fact]
    public void Retries_stop_after_the_configured_count()
    {
        var decisions = Decisions(retry: 2);
        var failure = Status(503);

        Assert.True(decisions.ShouldRetry(failure, attemptsMade: 1));
        Assert.True(decisions.ShouldRetry(failure, attemptsMade: 2));
        Assert.False(decisions.ShouldRetry(failure, attemptsMade: 3));
        Assert.False(decisions.ShouldRetry(Status(200), attemptsMade: 1));
        Assert.False(decisions.ShouldRetry(Status(400), attemptsMade: 1));
        Assert.True(decisions.ShouldRetry(AttemptResult.NoResponse("refused"), attemptsMade: 1));
        Assert.False(Decisions(retry: 0).ShouldRetry(failure, attemptsMade: 1));
    }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 600)]
    [InlineData(10, 2000)]
    public void Linear_backoff_is_delay_times_n(int retry, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Decisions(BackoffPolicy.Linear).Backoff(retry));

    [Theory]
    [InlineData(1, 400)]
    [InlineData(2, 800)]
    [InlineData(3, 1600)]
    [InlineData(5, 6400)]
    public void Exponential_backoff_is_delay_times_two_to_the_n(int retry, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Decisions().Backoff(retry));

    [Fact]
    public void Backoff_never_exceeds_an_hour() => Assert.Equal(TimeSpan.FromHours(1), Decisions().Backoff(60));

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Retry_after_seconds_stretch_the_wait_on_429_and_503(int code) =>
        Assert.Equal(TimeSpan.FromSeconds(7), Decisions().DelayBeforeRetry(1, Status(code, "7"), Now));

    [Fact]
    public void Retry_after_http_date_is_measured_from_now() =>
        Assert.Equal(TimeSpan.FromSeconds(12), Decisions().DelayBeforeRetry(1, Status(503, "Sat, 21 Nov 2026 12:00:12 GMT"), Now));

    [Fact]
    public void Retry_after_is_capped() =>
        Assert.Equal(TimeSpan.FromSeconds(30), Decisions(capSeconds: 30).DelayBeforeRetry(1, Status(429, "3600"), Now));

    [Fact]
    public void Retry_after_shorter_than_the_backoff_keeps_the_backoff() =>
        Assert.Equal(TimeSpan.FromMilliseconds(1600), Decisions().DelayBeforeRetry(3, Status(429, "1"), Now));

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    public void Retry_after_is_ignored_on_other_codes(int code) =>
        Assert.Equal(TimeSpan.FromMilliseconds(400), Decisions().DelayBeforeRetry(1, Status(code, "20"), Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Unreadable_retry_after_falls_back_to_the_backoff(string? header) =>
        Assert.Equal(TimeSpan.FromMilliseconds(400), Decisions().DelayBeforeRetry(1, Status(503, header), Now));

    [Fact]
    public void Retry_after_date_in_the_past_means_no_extra_wait() =>
        Assert.Equal(TimeSpan.Zero, DeliveryDecisions.ParseRetryAfter("Sat, 21 Nov 2026 11:00:00 GMT", Now));
}
