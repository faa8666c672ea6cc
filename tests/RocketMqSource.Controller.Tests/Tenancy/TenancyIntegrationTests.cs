using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Tests.Controller;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Tenancy;

/// <summary>The controller reads Knative's config-features and applies it to every source, against the API-server double.</summary>
public sealed class TenancyIntegrationTests : IAsyncLifetime
{
    private const string FeaturesPath = "/api/v1/namespaces/knative-eventing/configmaps";
    private ControllerHarness harness = null!;

    public async Task InitializeAsync() => harness = await StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_cross_namespace_sink_is_refused_until_config_features_enables_it_and_then_resolves()
    {
        harness.Server.Seed("/apis/eventing.knative.dev/v1/namespaces/payments/brokers",
            SinkResolutionTests.Broker("default", "http://broker-ingress.knative-eventing.svc.cluster.local/payments/default"));
        harness.StartController();
        await harness.CreateSourceAsync(Fixtures.Source(s => s.Sink!.Ref!.Namespace = "payments"));

        var refused = await harness.WaitForConditionAsync("SinkProvided", "False", Reasons.SinkNamespaceNotAllowed);
        Assert.Contains("cross-namespace-event-links", refused.Status!.Conditions!.Single(c => c.Type == "SinkProvided").Message, StringComparison.Ordinal);

        harness.Server.Seed(FeaturesPath, Features(("cross-namespace-event-links", "enabled")));

        var resolved = await harness.WaitForConditionAsync("SinkProvided", "True");
        Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/payments/default", resolved.Status!.SinkUri);
    }

    [Fact]
    public async Task With_authentication_oidc_enabled_each_source_gets_its_own_identity()
    {
        harness.Server.Seed(FeaturesPath, Features(("authentication-oidc", "enabled")));
        harness.Server.Seed(BrokersPath, SinkResolutionTests.Broker("default", "http://broker-ingress.knative-eventing.svc.cluster.local/food/default", audience: "broker/food/default"));
        harness.StartController();
        var created = await harness.CreateSourceAsync();

        var source = await harness.WaitForConditionAsync("OIDCIdentityCreated", "True");

        const string account = "orders-oidc-sources.knative.dev-rocketmqsource";
        Assert.Equal(account, source.Status!.Auth!.ServiceAccountName);
        var serviceAccount = harness.Server.TryGet($"/api/v1/namespaces/food/serviceaccounts/{account}")!;
        Assert.Equal(created.Metadata.Uid, (string?)serviceAccount["metadata"]!["ownerReferences"]![0]!["uid"]);
        var role = harness.Server.TryGet("/apis/rbac.authorization.k8s.io/v1/namespaces/food/roles/orders-create-oidc-token")!;
        Assert.Equal(account, (string?)role["rules"]![0]!["resourceNames"]![0]);
        var binding = harness.Server.TryGet("/apis/rbac.authorization.k8s.io/v1/namespaces/food/rolebindings/orders-create-oidc-token")!;
        Assert.Equal("default", (string?)binding["subjects"]![0]!["name"]);
        var deployment = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        Assert.Equal(account, Fixtures.Env(deployment, "K_OIDC_SERVICE_ACCOUNT"));
        Assert.Equal("broker/food/default", Fixtures.Env(deployment, "K_AUDIENCE"));
    }

    [Fact]
    public async Task Turning_authentication_oidc_off_deletes_the_account_the_source_controls_and_only_that()
    {
        // knative/eventing pkg/auth/serviceaccount.go: with the flag off, DeleteOIDCServiceAccountIfExists.
        harness.Server.Seed(FeaturesPath, Features(("authentication-oidc", "enabled")));
        harness.SeedBroker();
        harness.StartController();
        await harness.CreateSourceAsync();
        var refunds = Fixtures.Source(s => s.Topic = "refunds");
        refunds.Metadata.Name = "refunds";
        await harness.CreateSourceAsync(refunds);
        await harness.WaitForConditionAsync("OIDCIdentityCreated", "True");
        const string ours = "/api/v1/namespaces/food/serviceaccounts/orders-oidc-sources.knative.dev-rocketmqsource";
        const string notOurs = "/api/v1/namespaces/food/serviceaccounts/refunds-oidc-sources.knative.dev-rocketmqsource";
        await Eventually.ValueAsync(() => harness.Server.TryGet(notOurs), "the second source's account");
        // Someone takes the second account over: it is no longer the source's to delete.
        var taken = await harness.Client.CoreV1.ReadNamespacedServiceAccountAsync("refunds-oidc-sources.knative.dev-rocketmqsource", "food");
        taken.Metadata.OwnerReferences = null;
        await harness.Client.CoreV1.ReplaceNamespacedServiceAccountAsync(taken, taken.Metadata.Name, "food");

        var features = await harness.Client.CoreV1.ReadNamespacedConfigMapAsync("config-features", "knative-eventing");
        features.Data["authentication-oidc"] = "disabled";
        await harness.Client.CoreV1.ReplaceNamespacedConfigMapAsync(features, "config-features", "knative-eventing");

        var disabled = await harness.WaitForConditionAsync("OIDCIdentityCreated", "True", Reasons.OIDCFeatureDisabled);
        Assert.Null(disabled.Status!.Auth);
        await Eventually.ValueAsync(() => harness.Server.TryGet(ours) is null ? "gone" : null, "the source's OIDC account deleted");
        await Eventually.ValueAsync(() => harness.Source("refunds")?.Status?.Auth is null ? "cleared" : null, "the second source's status.auth cleared");
        Assert.NotNull(harness.Server.TryGet(notOurs));
    }

    [Fact]
    public async Task An_OIDC_account_someone_else_controls_is_refused_and_nothing_is_deployed()
    {
        harness.Server.Seed(FeaturesPath, Features(("authentication-oidc", "enabled")));
        harness.SeedBroker();
        harness.Server.Seed("/api/v1/namespaces/food/serviceaccounts", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "orders-oidc-sources.knative.dev-rocketmqsource" },
        });
        harness.StartController();
        var created = await harness.CreateSourceAsync();

        var refused = await harness.WaitForConditionAsync("OIDCIdentityCreated", "False", Reasons.OIDCIdentityFailed);

        Assert.Contains("not owned by RocketMQSource orders", refused.Status!.Conditions!.Single(c => c.Type == "OIDCIdentityCreated").Message, StringComparison.Ordinal);
        Assert.Null(harness.Deployment(created));
    }

    private static JsonObject Features(params (string Key, string Value)[] flags) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "config-features" },
        ["data"] = new JsonObject(flags.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
    };
}
