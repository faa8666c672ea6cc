using System.Globalization;
using System.Net;
using System.Text.Json;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Hosting;

/// <summary>
/// The executable when it cannot consume: one warning line per cause in words (no stack trace at
/// info), the reason on /readiness and in the termination message, and no secret value anywhere.
/// </summary>
public sealed class BlockedAdapterTests : IDisposable
{
    private const string AccessKey = "orders-reader";
    private const string RightSecret = "s3cret-right-value";
    private const string WrongSecret = "s3cret-WRONG-value";

    private readonly string terminationPath = Path.Combine(Path.GetTempPath(), $"termination-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(terminationPath);

    private Dictionary<string, string> Environment(string endpoints, string topic = "orders", string? secret = null)
    {
        File.WriteAllText(terminationPath, string.Empty);
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = "http://127.0.0.1:9/",
            ["ROCKETMQ_ENDPOINTS"] = endpoints,
            ["ROCKETMQ_TOPIC"] = topic,
            ["ROCKETMQ_CONSUMER_GROUP"] = "g",
            ["TERMINATION_MESSAGE_PATH"] = terminationPath,
        };
        if (secret is not null)
        {
            env["ROCKETMQ_ACCESS_KEY"] = AccessKey;
            env["ROCKETMQ_SECRET_KEY"] = secret;
        }

        return env;
    }

    private async Task<(string Reason, string Message)> AssertBlockedAsync(AdapterProcess adapter, string reason, string cause)
    {
        using var http = new HttpClient();
        var readiness = new Uri($"http://127.0.0.1:{adapter.HealthPort.ToString(CultureInfo.InvariantCulture)}/readiness");
        // On a loaded machine a first attempt may time out (reason connecting) before the proxy's answer arrives.
        JsonElement body = default;
        await Eventually.WaitAsync(
            () =>
            {
                using var response = http.GetAsync(readiness).GetAwaiter().GetResult();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
                body = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
                return body.GetProperty("reason").GetString() == reason;
            },
            $"readiness reason {reason}",
            TimeSpan.FromSeconds(30));
        Assert.Contains(cause, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"{reason}: ", File.ReadAllText(terminationPath), StringComparison.Ordinal);

        await Eventually.WaitAsync(() => adapter.Output.Any(l => l.Contains(cause, StringComparison.Ordinal)), $"a line with {cause}", TimeSpan.FromSeconds(30));
        var warning = adapter.Output.Select(l => JsonDocument.Parse(l).RootElement).First(l => l.GetProperty("level").GetString() == "warn" && l.GetProperty("msg").GetString()!.Contains(cause, StringComparison.Ordinal));
        Assert.False(warning.TryGetProperty("stacktrace", out _), adapter.Log);
        Assert.DoesNotContain(adapter.Output, l => l.Contains(RightSecret, StringComparison.Ordinal) || l.Contains(WrongSecret, StringComparison.Ordinal));
        return (reason, warning.GetProperty("msg").GetString()!);
    }

    [Fact]
    public async Task An_unreachable_proxy_is_connecting_with_the_socket_error()
    {
        var endpoint = $"127.0.0.1:{LoopbackPort.GetFree()}";
        await using var adapter = await AdapterProcess.StartAsync(Environment(endpoint), waitFor: "connecting to RocketMQ");

        var (_, message) = await AssertBlockedAsync(adapter, "connecting", "connection refused");

        Assert.StartsWith($"connecting to RocketMQ {endpoint} failed: connection refused; retrying in ", message, StringComparison.Ordinal);
        var startup = adapter.Output.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("msg").GetString() == "starting receive adapter");
        Assert.Equal(endpoint, startup.GetProperty("endpoints").GetString());
        Assert.Equal("absent", startup.GetProperty("credentials").GetString());
        Assert.Equal("info", startup.GetProperty("logLevel").GetString()); // zap's name, as config-logging spells it
    }

    [Fact]
    public async Task A_wrong_secret_is_unauthorized_and_never_printed()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync(o =>
        {
            o.AccessKey = AccessKey;
            o.SecretKey = RightSecret;
        });
        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq.Endpoint, secret: WrongSecret), waitFor: "connecting to RocketMQ");

        await AssertBlockedAsync(adapter, "unauthorized", "UNAUTHORIZED (40100)");

        var startup = adapter.Output.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("msg").GetString() == "starting receive adapter");
        Assert.Equal("present", startup.GetProperty("credentials").GetString());
    }

    [Fact]
    public async Task A_topic_the_proxy_does_not_know_is_topic_not_found()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync(o =>
        {
            o.AutoCreateTopics = false;
            o.Topics.Add("orders");
        });
        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq.Endpoint, topic: "ordres"), waitFor: "connecting to RocketMQ");

        await AssertBlockedAsync(adapter, "topic not found", "TOPIC_NOT_FOUND (40402)");
    }
}
