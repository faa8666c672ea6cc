using System.Text;
using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.Testing;
using Xunit.Abstractions;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;

namespace RocketMqSource.Controller.Tests.RocketMq;

/// <summary>
/// The controller (real route query) against the API-server double and a signing emulator with
/// declared topics: the status and Events a user sees for each failure, and no secret value anywhere.
/// </summary>
public sealed class RocketMqStatusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AccessKey = "orders-reader";
    private const string RightSecret = "s3cret-right-value";
    private const string WrongSecret = "s3cret-WRONG-value";

    private ControllerHarness harness = null!;
    private RocketMqEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        harness = await ControllerHarness.StartAsync();
        var options = new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", AutoCreateTopics = false, AccessKey = AccessKey, SecretKey = RightSecret };
        options.Topics.Add("orders");
        emulator = await RocketMqEmulator.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await emulator.DisposeAsync();
    }

    public static TheoryData<string, string, string, string> Failures => new()
    {
        { "unreachable", "orders", RightSecret, Reasons.ProxyUnreachable },
        { "wrong-key", "orders", WrongSecret, Reasons.Unauthorized },
        { "missing-topic", "ordres", RightSecret, Reasons.TopicNotFound },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_check_is_the_source_s_Ready_reason_with_an_actionable_message(string situation, string topic, string secret, string reason)
    {
        var endpoints = situation == "unreachable" ? $"127.0.0.1:{LoopbackPort.GetFree()}" : emulator.Endpoint;
        SeedCredentials(secret);
        harness.SeedBroker();
        harness.StartController();
        await harness.CreateSourceAsync(WithCredentials(Fixtures.Source(s =>
        {
            s.Endpoints = endpoints;
            s.Topic = topic;
        })));

        var source = await harness.WaitForConditionAsync(ConditionTypes.RocketMQReady, "False", reason);

        var conditions = source.Status!.Conditions!;
        var rocketMq = conditions.Single(c => c.Type == ConditionTypes.RocketMQReady);
        var ready = conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", reason, rocketMq.Message), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal(reason switch
        {
            Reasons.ProxyUnreachable => $"cannot reach the RocketMQ proxy at {endpoints}: connection refused",
            Reasons.Unauthorized => $"the proxy at {endpoints} rejected access key \"{AccessKey}\": UNAUTHORIZED (40100) signature verification failed; check spec.credentials",
            _ => $"topic ordres does not exist on the proxy at {endpoints}: TOPIC_NOT_FOUND (40402) No topic route info in name server for the topic: ordres",
        }, rocketMq.Message);
        var warning = await Eventually.ValueAsync(() => Events().FirstOrDefault(e => (string?)e["reason"] == reason), $"a {reason} Warning event");
        Assert.Equal(rocketMq.Message, (string?)warning["note"]);

        // Output for the README (marked there as from this test against the API-server double).
        output.WriteLine(harness.Server.TryGet($"{SourcesPath}/orders")!["status"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        AssertNoSecretValue();
    }

    [Fact]
    public async Task Fixing_the_Secret_re_checks_at_once_and_the_condition_turns_true()
    {
        SeedCredentials(WrongSecret);
        harness.SeedBroker();
        harness.StartController();
        await harness.CreateSourceAsync(WithCredentials(Fixtures.Source(s => s.Endpoints = emulator.Endpoint)));
        await harness.WaitForConditionAsync(ConditionTypes.RocketMQReady, "False", Reasons.Unauthorized);

        await harness.Client.CoreV1.PatchNamespacedSecretAsync(
            new k8s.Models.V1Patch(new JsonObject { ["data"] = new JsonObject { ["secretKey"] = Base64(RightSecret) } }.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch),
            "rmq-credentials", "food");

        var fixedSource = await harness.WaitForConditionAsync(ConditionTypes.RocketMQReady, "True", Reasons.TopicRouted);
        Assert.Equal($"the proxy at {emulator.Endpoint} routes topic orders to 8 queues", fixedSource.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RocketMQReady).Message);
        AssertNoSecretValue();
    }

    private void AssertNoSecretValue()
    {
        var visible = string.Join('\n', harness.Server.List(SourcesPath).Concat(Events()).Select(o => o.ToJsonString()));
        foreach (var value in new[] { RightSecret, WrongSecret, Base64(RightSecret), Base64(WrongSecret) })
        {
            Assert.DoesNotContain(value, visible, StringComparison.Ordinal);
        }
    }

    private IReadOnlyList<JsonObject> Events() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events");

    private void SeedCredentials(string secret) => harness.Server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
    {
        ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "rmq-credentials" },
        ["data"] = new JsonObject { ["accessKey"] = Base64(AccessKey), ["secretKey"] = Base64(secret) },
    });

    private static V1Alpha1RocketMQSource WithCredentials(V1Alpha1RocketMQSource source)
    {
        source.Spec!.Credentials = new RocketMQCredentials
        {
            AccessKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "accessKey" } },
            SecretKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "secretKey" } },
        };
        return source;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
