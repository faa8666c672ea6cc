using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Testing;
using RocketMqSource.RocketMq;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Controller.Tests.RocketMq;

/// <summary>When the controller asks RocketMQ again: cached while healthy, backoff while failing, at once on a change.</summary>
public sealed class ConnectivityCheckerTests : IAsyncLifetime
{
    private const string Key = "food/orders";
    private readonly ManualClock clock = new(Fixtures.Now);
    private readonly List<TimeSpan> requeues = [];
    private KubernetesApiServerDouble server = null!;
    private k8s.Kubernetes client = null!;

    public async Task InitializeAsync()
    {
        server = await KubernetesApiServerDouble.StartAsync();
        client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    private static readonly SecretCheck NoSecrets = SecretCheck.Found(Fixtures.Namespace, null);

    private ConnectivityChecker Checker(IRocketMqProbe probe) => new(client, probe, clock, (_, delay) => requeues.Add(delay));

    [Fact]
    public async Task A_healthy_result_is_reused_for_a_few_minutes_then_checked_again()
    {
        var probe = new CountingProbe();
        var checker = Checker(probe);
        var source = Fixtures.Source();

        var (_, first) = await checker.CheckAsync(Key, source, NoSecrets, CancellationToken.None);
        clock.Advance(ConnectivityChecker.HealthyFor - TimeSpan.FromSeconds(1));
        await checker.CheckAsync(Key, source, NoSecrets, CancellationToken.None);
        Assert.Equal(1, probe.Calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        await checker.CheckAsync(Key, source, NoSecrets, CancellationToken.None);

        Assert.Equal(new TopicRoutedCheck(new RocketMqTarget(Fixtures.Endpoints, "", "orders", null), 8), first);
        Assert.Equal(2, probe.Calls);
        Assert.Empty(requeues);
    }

    [Fact]
    public async Task A_failing_source_is_checked_again_with_growing_backoff_and_a_reconcile_is_asked_for_each_retry()
    {
        var probe = new CountingProbe(new UnreachableProbe());
        var checker = Checker(probe);
        var source = Fixtures.Source();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var (_, state) = await checker.CheckAsync(Key, source, NoSecrets, CancellationToken.None);
            Assert.Equal(RocketMqFailureKind.Unreachable, Assert.IsType<RocketMqFailedCheck>(state).Kind);
            // Reconciles before the retry is due answer from the last result.
            clock.Advance(requeues[^1] - TimeSpan.FromMilliseconds(1));
            await checker.CheckAsync(Key, source, NoSecrets, CancellationToken.None);
            Assert.Equal(attempt, probe.Calls);
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], requeues);
        Assert.Equal(ConnectivityChecker.MaxRetry, ConnectivityChecker.RetryDelay(30));
    }

    [Fact]
    public async Task A_spec_or_Secret_change_is_checked_at_once_with_the_values_read_from_the_Secret()
    {
        server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "rmq" },
            ["data"] = new JsonObject { ["ak"] = "cmVhZGVy", ["sk"] = "cGFzcw==" },
        });
        var probe = new CountingProbe();
        var checker = Checker(probe);
        var source = Fixtures.Source(s => s.Credentials = new Api.RocketMQCredentials
        {
            AccessKey = new Api.SecretValueFromSource { SecretKeyRef = new Api.SecretKeyReference { Name = "rmq", Key = "ak" } },
            SecretKey = new Api.SecretValueFromSource { SecretKeyRef = new Api.SecretKeyReference { Name = "rmq", Key = "sk" } },
        });

        await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=1"), CancellationToken.None);
        await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=1"), CancellationToken.None);
        Assert.Single(server.Requests, r => r.Path.EndsWith("/secrets/rmq", StringComparison.Ordinal));
        await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=2"), CancellationToken.None);
        source.Spec!.Topic = "refunds";
        await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=2"), CancellationToken.None);

        Assert.Equal(3, probe.Calls);
        Assert.Equal(3, server.Requests.Count(r => r.Path.EndsWith("/secrets/rmq", StringComparison.Ordinal)));
        Assert.Equal(("reader", "pass", "refunds"), (probe.LastTarget!.AccessKey, probe.LastTarget.SecretKey, probe.LastTarget.Topic));
    }

    [Fact]
    public async Task A_missing_key_is_found_by_the_one_read_and_not_probed_until_the_Secret_changes()
    {
        server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "rmq" },
            ["data"] = new JsonObject { ["ak"] = "cmVhZGVy" },
        });
        var probe = new CountingProbe();
        var checker = Checker(probe);
        var source = Fixtures.Source(s => s.Credentials = new Api.RocketMQCredentials
        {
            AccessKey = new Api.SecretValueFromSource { SecretKeyRef = new Api.SecretKeyReference { Name = "rmq", Key = "ak" } },
            SecretKey = new Api.SecretValueFromSource { SecretKeyRef = new Api.SecretKeyReference { Name = "rmq", Key = "sk" } },
        });

        var (secrets, check) = await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=1"), CancellationToken.None);
        clock.Advance(ConnectivityChecker.MaxRetry);
        await checker.CheckAsync(Key, source, SecretCheck.Found(Fixtures.Namespace, "rmq=1"), CancellationToken.None);

        Assert.Equal((SecretProblem.KeyNotFound, "sk"), (secrets.Problem, secrets.Secret!.Key));
        Assert.Equal(new RocketMqNotChecked(secrets), check);
        Assert.Equal(0, probe.Calls);
        Assert.Single(server.Requests, r => r.Path.EndsWith("/secrets/rmq", StringComparison.Ordinal));
        Assert.Empty(requeues);
    }
}
