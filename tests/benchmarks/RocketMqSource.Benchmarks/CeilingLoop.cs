using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// The limit: a plain HttpClient POST loop to the same sink with the same body and ce- headers as
/// the adapter sends, at the adapter's max in-flight concurrency (one connection per worker).
/// </summary>
internal static class CeilingLoop
{
    public static async Task<(long Requests, double PerSecond)> RunAsync(Uri sink, byte[] body, int concurrency, TimeSpan duration, string source)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var contentType = new MediaTypeHeaderValue("application/json");
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        long sequence = 0;
        long completed = 0;

        // Warm-up: open every connection once so the measured window is steady state.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SendAsync()));
        Interlocked.Exchange(ref completed, 0);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await SendAsync();
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var count = Interlocked.Read(ref completed);
        return (count, count / elapsed);

        async Task SendAsync()
        {
            var id = Interlocked.Increment(ref sequence).ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, sink) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = contentType;
            request.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
            request.Headers.TryAddWithoutValidation("ce-id", id);
            request.Headers.TryAddWithoutValidation("ce-source", source);
            request.Headers.TryAddWithoutValidation("ce-type", "dev.knative.rocketmq.event");
            request.Headers.TryAddWithoutValidation("ce-subject", "created");
            request.Headers.TryAddWithoutValidation("ce-time", time);
            request.Headers.TryAddWithoutValidation("ce-rocketmqtopic", "bench");
            request.Headers.TryAddWithoutValidation("ce-rocketmqtag", "created");
            request.Headers.TryAddWithoutValidation("ce-rocketmqkeys", id);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref completed);
        }
    }
}
