using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Adapter.Tests.Delivery;

/// <summary>
/// Knative's authentication-oidc: the adapter requests tokens for its OIDC account from the API
/// server (the double, over real HTTP), keeps each for its hour less five minutes
/// (knative/eventing pkg/auth/token_provider.go) on the injected clock, and sends them as Bearer.
/// </summary>
public sealed class TokenRequestTests : IAsyncLifetime
{
    private const string PodToken = "pod-account-token";
    private const string Account = "orders-oidc-sources.knative.dev-rocketmqsource";
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly string podTokenFile = Path.GetTempFileName();
    private KubernetesApiServerDouble api = null!;
    private HttpClient apiClient = null!;

    public async Task InitializeAsync()
    {
        api = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions { BearerToken = PodToken, Time = clock });
        api.Seed("/api/v1/namespaces/food/serviceaccounts", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = Account } });
        await File.WriteAllTextAsync(podTokenFile, PodToken + "\n");
        apiClient = new HttpClient { BaseAddress = api.BaseUri };
    }

    public async Task DisposeAsync()
    {
        apiClient.Dispose();
        await api.DisposeAsync();
        File.Delete(podTokenFile);
    }

    private TokenRequestOptions Options(string account = Account) => new(api.BaseUri, "food", account, podTokenFile, "/nonexistent/ca.crt");

    private IReadOnlyList<RecordedRequest> TokenRequests() => api.Requests.Where(r => r.Path.EndsWith("/token", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_token_is_requested_once_per_audience_and_again_when_less_than_five_minutes_are_left()
    {
        var tokens = new TokenRequestTokenSource(apiClient, Options(), clock);

        var first = await tokens.GetTokenAsync("broker/food/default", CancellationToken.None);
        var same = await tokens.GetTokenAsync("broker/food/default", CancellationToken.None);
        var other = await tokens.GetTokenAsync("dls-audience", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(54));
        var stillFresh = await tokens.GetTokenAsync("broker/food/default", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        var renewed = await tokens.GetTokenAsync("broker/food/default", CancellationToken.None);

        Assert.StartsWith($"food.{Account}.broker/food/default.", first, StringComparison.Ordinal);
        Assert.Equal(first, same);
        Assert.Equal(first, stillFresh);
        Assert.StartsWith($"food.{Account}.dls-audience.", other, StringComparison.Ordinal);
        Assert.NotEqual(first, renewed);
        var requests = TokenRequests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("POST", $"/api/v1/namespaces/food/serviceaccounts/{Account}/token", true), (r.Method, r.Path, r.HadBearerToken)));
        var spec = JsonNode.Parse(requests[0].Body!)!["spec"]!;
        Assert.Equal(("broker/food/default", 3600L), ((string?)spec["audiences"]![0], spec["expirationSeconds"]!.GetValue<long>()));
    }

    [Fact]
    public async Task The_pod_token_is_read_again_once_the_kubelet_rotated_it()
    {
        var tokens = new TokenRequestTokenSource(apiClient, Options(), clock);
        await tokens.GetTokenAsync("broker/food/default", CancellationToken.None);

        // A token the API server does not know, written in place as the kubelet rotates it.
        await File.WriteAllTextAsync(podTokenFile, "rotated-pod-token\n");
        File.SetLastWriteTimeUtc(podTokenFile, DateTime.UtcNow.AddMinutes(1));
        var refused = await Assert.ThrowsAsync<SinkTokenUnavailableException>(() => tokens.GetTokenAsync("dls-audience", CancellationToken.None).AsTask());

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, TokenRequests().Count);
    }

    [Fact]
    public async Task A_refused_TokenRequest_fails_the_attempt_without_sending_the_event()
    {
        var tokens = new TokenRequestTokenSource(apiClient, Options("someone-else"), clock);
        await using var sink = await LoopbackSink.StartAsync(SinkReply.Accepted);

        var last = await Dispatcher(sink.Uri, tokens, ("K_RETRY", "0")).SendAsync(Event("e1"), default, CancellationToken.None);

        Assert.Null(last.StatusCode);
        Assert.Contains("404", last.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Sink_and_dead_letter_sink_each_get_a_token_for_their_own_audience()
    {
        var tokens = new TokenRequestTokenSource(apiClient, Options(), clock);
        await using var sink = await LoopbackSink.StartAsync(new SinkReply(400));
        await using var deadLetter = await LoopbackSink.StartAsync(SinkReply.Accepted);

        var dispatcher = Dispatcher(sink.Uri, tokens, ("K_DEAD_LETTER_SINK", deadLetter.Uri.AbsoluteUri), ("K_DEAD_LETTER_SINK_AUDIENCE", "dls-audience"));
        var last = await dispatcher.SendAsync(Event("e1"), default, CancellationToken.None);
        var result = await dispatcher.DeadLetterAsync(Event("e1"), last, default, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.StartsWith($"Bearer food.{Account}.broker/food/default.", sink.Requests.First().Header("authorization"), StringComparison.Ordinal);
        Assert.StartsWith($"Bearer food.{Account}.dls-audience.", deadLetter.Requests.First().Header("authorization"), StringComparison.Ordinal);
    }

    private static EventDispatcher Dispatcher(Uri sink, TokenRequestTokenSource tokens, params (string Name, string? Value)[] env)
    {
        var options = AdapterOptionsParser.Parse(TestEnvironment.Valid([
            ("K_SINK", sink.AbsoluteUri), ("K_BACKOFF_DELAY", "10ms"), ("K_AUDIENCE", "broker/food/default"),
            ("K_OIDC_SERVICE_ACCOUNT", Account), ("NAMESPACE", "food"), ("KUBERNETES_SERVICE_HOST", "127.0.0.1"), .. env]));
        return new EventDispatcher(SinkHttpClientFactory.Create(options.Sink, 4), options.Sink, new DeliveryDecisions(options.Retry), new AdapterTelemetry("orders", "orders-source"),
            TimeProvider.System, NullLogger<EventDispatcher>.Instance, tokens);
    }

    private static CloudEvent Event(string id) => new()
    {
        Id = id,
        Source = new Uri("/test", UriKind.Relative),
        Type = "dev.knative.rocketmq.event",
        DataContentType = "application/json",
        Data = Encoding.UTF8.GetBytes("{}"),
    };
}
