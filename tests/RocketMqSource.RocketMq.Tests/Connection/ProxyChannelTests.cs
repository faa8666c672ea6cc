using System.Net.Http;
using Grpc.Core;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.RocketMq.Connection;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Connection;

/// <summary>
/// What we own on top of Grpc.Net.Client: the handler settings, one connection per endpoint, and
/// how transport failures (deadline, cancellation, refusal, error status) reach callers as our RpcException.
/// </summary>
public sealed class ProxyChannelTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private static ClientConfig Plaintext(string endpoints, TimeSpan? requestTimeout = null) =>
        new ClientConfig.Builder().SetEndpoints(endpoints).EnableSsl(false).SetRequestTimeout(requestTimeout ?? TimeSpan.FromSeconds(3)).Build();

    /// <summary>A fake proxy and the calls of one client to it.</summary>
    private sealed class Connected : IAsyncDisposable
    {
        private Connected(FakeProxy proxy, ClientConfig config)
        {
            Proxy = proxy;
            Rpc = new MessagingRpc(config, ClientIdentity.NewClientId());
            Endpoint = config.AccessPoint.Addresses[0];
        }

        public FakeProxy Proxy { get; }

        public MessagingRpc Rpc { get; }

        public EndpointAddress Endpoint { get; }

        public static async Task<Connected> StartAsync(TimeSpan? requestTimeout = null)
        {
            var proxy = await FakeProxy.StartAsync();
            proxy.Topics["orders"] = [MessageType.Normal];
            return new Connected(proxy, Plaintext(proxy.Endpoints, requestTimeout));
        }

        public async ValueTask DisposeAsync()
        {
            Rpc.Dispose();
            await Proxy.DisposeAsync();
        }
    }

    private static QueryRouteRequest Route() => new() { Topic = new Resource { Name = "orders" } };

    [Fact]
    public void The_handler_pings_idle_streams_and_opens_more_connections_when_one_is_full()
    {
        using var handler = ProxyChannel.CreateHandler(Plaintext("127.0.0.1:8081"));

        Assert.Equal(TimeSpan.FromSeconds(60), handler.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), handler.KeepAlivePingTimeout);
        Assert.Equal(HttpKeepAlivePingPolicy.WithActiveRequests, handler.KeepAlivePingPolicy);
        Assert.True(handler.EnableMultipleHttp2Connections);
        Assert.Equal(TimeSpan.FromMinutes(5), handler.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), handler.ConnectTimeout);
        Assert.False(handler.UseProxy);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Theory]
    [InlineData("127.0.0.1", false, "http://127.0.0.1:8081/")]
    [InlineData("proxy.example", true, "https://proxy.example:8081/")]
    [InlineData("::1", false, "http://[::1]:8081/")]
    public void Addresses_use_http_for_h2c_https_for_tls_and_bracket_ipv6(string host, bool tls, string expected) =>
        Assert.Equal(expected, ProxyChannel.Address(new EndpointAddress(host, 8081), tls).ToString());

    [Fact]
    public async Task Sequential_and_concurrent_calls_to_one_endpoint_share_one_connection()
    {
        await using var client = await Connected.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await client.Rpc.QueryRouteAsync(client.Endpoint, Route(), CancellationToken.None);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Rpc.QueryRouteAsync(client.Endpoint, Route(), CancellationToken.None)));

        Assert.All(concurrent, result => Assert.Equal(Code.Ok, result.Response.Status.Code));
        Assert.Equal(20, concurrent.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(25, client.Proxy.Count("QueryRoute"));
        Assert.Equal(1, client.Proxy.ConnectionCount);
    }

    [Fact]
    public async Task A_slow_proxy_hits_the_request_timeout_as_deadline_exceeded_and_sees_the_call_abandoned()
    {
        await using var client = await Connected.StartAsync(TimeSpan.FromMilliseconds(300));
        client.Proxy.Hold("Heartbeat");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Rpc.HeartbeatAsync(client.Endpoint, new HeartbeatRequest(), CancellationToken.None));

        Assert.True(error.IsDeadlineExceeded, error.ToString());
        await client.Proxy.CallAbandoned.Task.WaitAsync(Generous);
    }

    [Fact]
    public async Task Caller_cancellation_ends_the_call_as_cancelled()
    {
        await using var client = await Connected.StartAsync();
        client.Proxy.Hold("ReceiveMessage");
        using var cancellation = new CancellationTokenSource();

        var receive = client.Rpc.ReceiveMessageAsync(client.Endpoint, new ReceiveMessageRequest(), Generous, cancellation.Token);
        await client.Proxy.CallHeld.Task.WaitAsync(Generous);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => receive);
        Assert.True(error.IsCancelled, error.ToString());
        await client.Proxy.CallAbandoned.Task.WaitAsync(Generous);
    }

    [Fact]
    public async Task A_grpc_error_status_keeps_its_code_and_decoded_message()
    {
        await using var client = await Connected.StartAsync();
        client.Proxy.Fail("AckMessage", StatusCode.NotFound, "no such thing: 100% gone");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Rpc.AckMessageAsync(client.Endpoint, new AckMessageRequest(), CancellationToken.None));

        Assert.Equal(GrpcStatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such thing: 100% gone", error.Detail);
        Assert.IsType<Grpc.Core.RpcException>(error.InnerException);
    }

    [Fact]
    public async Task A_telemetry_stream_refused_before_its_first_reply_fails_the_start_with_that_status()
    {
        await using var proxy = await FakeProxy.StartAsync();
        proxy.Topics["orders"] = [MessageType.Normal];
        proxy.Fail("Telemetry", StatusCode.Unauthenticated, "bad signature");

        var error = await Assert.ThrowsAsync<RpcException>(() => new Producer.Builder().SetClientConfig(Plaintext(proxy.Endpoints))
            .SetTopics("orders").SetTimings(ClientFixtures.Quiet).BuildAsync());

        Assert.Equal(GrpcStatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("bad signature", error.Detail);
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable()
    {
        var config = Plaintext($"127.0.0.1:{LoopbackPort.GetFree()}");
        using var rpc = new MessagingRpc(config, ClientIdentity.NewClientId());

        var error = await Assert.ThrowsAsync<RpcException>(() => rpc.QueryRouteAsync(config.AccessPoint.Addresses[0], Route(), CancellationToken.None));

        Assert.True(error.IsUnavailable, error.ToString());
    }
}
