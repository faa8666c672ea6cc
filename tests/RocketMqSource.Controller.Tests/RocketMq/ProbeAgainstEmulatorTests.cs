using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.RocketMq;

/// <summary>
/// Each RocketMQReady reason from a real route query (our client over gRPC) against the emulator,
/// which answers as the proxy does: UNAUTHORIZED 40100 for a bad signature, TOPIC_NOT_FOUND 40402
/// for a topic the name server has no route for (apache/rocketmq proxy ResponseBuilder.buildStatus).
/// </summary>
public sealed class ProbeAgainstEmulatorTests
{
    private const string AccessKey = "orders-reader";
    private const string RightSecret = "s3cret-right-value";
    private const string WrongSecret = "s3cret-WRONG-value";

    private static ProbeTarget Target(string endpoints, string topic = "orders", bool tls = false, string? accessKey = null, string? secret = null) =>
        new(endpoints, string.Empty, topic, tls, null, accessKey, secret, null);

    /// <summary>The RocketMQReady condition the check's outcome reads as.</summary>
    private static async Task<Condition> CheckAsync(ProbeTarget target)
    {
        RocketMqCheck check;
        try
        {
            check = new TopicRoutedCheck(target.Named, await new RouteQueryProbe(TimeSpan.FromSeconds(30)).ProbeAsync(target, CancellationToken.None));
        }
        catch (Exception e)
        {
            check = ProbeVerdict.Failed(target, e);
        }

        return Read(check);
    }

    private static Condition Read(RocketMqCheck check)
    {
        var status = new RocketMQSourceStatus();
        status.PropagateRocketMq(check);
        return status.Condition(ConditionTypes.RocketMQReady)!;
    }

    private static Task<RocketMqEmulator> StartAsync(Action<RocketMqEmulatorOptions>? change = null)
    {
        var options = new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", QueuesPerTopic = 4 };
        change?.Invoke(options);
        return RocketMqEmulator.StartAsync(options);
    }

    [Fact]
    public async Task A_declared_topic_with_accepted_credentials_is_routed()
    {
        await using var emulator = await StartAsync(o =>
        {
            o.AutoCreateTopics = false;
            o.Topics.Add("orders");
            o.AccessKey = AccessKey;
            o.SecretKey = RightSecret;
        });

        var state = await CheckAsync(Target(emulator.Endpoint, accessKey: AccessKey, secret: RightSecret));

        Assert.Equal((ConditionStatus.True, Reasons.TopicRouted), (state.Status, state.Reason));
        Assert.Equal($"the proxy at {emulator.Endpoint} routes topic orders to 4 queues", state.Message);
    }

    [Fact]
    public async Task A_closed_port_is_ProxyUnreachable_with_the_address_and_the_socket_error()
    {
        var endpoint = $"127.0.0.1:{LoopbackPort.GetFree()}";

        var state = await CheckAsync(Target(endpoint));

        Assert.Equal((ConditionStatus.False, Reasons.ProxyUnreachable), (state.Status, state.Reason));
        Assert.Equal($"cannot reach the RocketMQ proxy at {endpoint}: connection refused", state.Message);
    }

    [Fact]
    public async Task A_wrong_secret_is_Unauthorized_naming_the_access_key_but_not_the_secret()
    {
        await using var emulator = await StartAsync(o =>
        {
            o.AccessKey = AccessKey;
            o.SecretKey = RightSecret;
        });

        var state = await CheckAsync(Target(emulator.Endpoint, accessKey: AccessKey, secret: WrongSecret));

        Assert.Equal((ConditionStatus.False, Reasons.Unauthorized), (state.Status, state.Reason));
        Assert.Contains("rejected access key \"orders-reader\"", state.Message, StringComparison.Ordinal);
        Assert.Contains("UNAUTHORIZED (40100)", state.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, state.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RightSecret, state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_credentials_against_a_signing_proxy_is_Unauthorized_saying_none_were_configured()
    {
        await using var emulator = await StartAsync(o =>
        {
            o.AccessKey = AccessKey;
            o.SecretKey = RightSecret;
        });

        var state = await CheckAsync(Target(emulator.Endpoint));

        Assert.Equal(Reasons.Unauthorized, state.Reason);
        Assert.Contains("rejected access key (none configured)", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undeclared_topic_is_TopicNotFound_as_on_a_broker_without_auto_creation()
    {
        await using var emulator = await StartAsync(o =>
        {
            o.AutoCreateTopics = false;
            o.Topics.Add("orders");
        });

        var state = await CheckAsync(Target(emulator.Endpoint, topic: "ordres"));

        Assert.Equal((ConditionStatus.False, Reasons.TopicNotFound), (state.Status, state.Reason));
        Assert.StartsWith($"topic ordres does not exist on the proxy at {emulator.Endpoint}: TOPIC_NOT_FOUND (40402)", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_to_a_plaintext_proxy_is_TlsHandshakeFailed()
    {
        await using var emulator = await StartAsync();

        var state = await CheckAsync(Target(emulator.Endpoint, tls: true));

        Assert.Equal((ConditionStatus.False, Reasons.TlsHandshakeFailed), (state.Status, state.Reason));
        Assert.StartsWith("TLS handshake failed", state.Message, StringComparison.Ordinal);
        Assert.EndsWith($"with the proxy at {emulator.Endpoint}; check spec.tls and spec.caCert", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_echoing_the_secret_back_has_it_redacted()
    {
        var target = Target("10.0.0.5:8081", accessKey: AccessKey, secret: WrongSecret);

        var state = Read(ProbeVerdict.Failed(target, new global::RocketMqSource.RocketMq.UnauthorizedException(40100, "UNAUTHORIZED", $"bad signature for {WrongSecret}")));

        Assert.DoesNotContain(WrongSecret, state.Message, StringComparison.Ordinal);
        Assert.Contains("<redacted>", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_probe_target_prints_the_access_key_only()
    {
        var text = Target("10.0.0.5:8081", accessKey: AccessKey, secret: WrongSecret).ToString();

        Assert.Contains(AccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, text, StringComparison.Ordinal);
    }
}
