using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Sinks;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Tenancy;

/// <summary>Knative's tenancy and identity rules, read from knative/eventing and knative/pkg, as pure decisions.</summary>
public sealed class TenancyRulesTests
{
    [Fact]
    public void Feature_flags_are_read_as_Knatives_features_go_reads_them()
    {
        var flags = FeatureFlags.Parse(new Dictionary<string, string>
        {
            [" cross-namespace-event-links "] = "ENABLED",
            ["authentication-oidc"] = "allowed",
            ["_example"] = "enabled",
            ["transport-encryption"] = "permissive",
        });

        Assert.True(flags.IsCrossNamespaceEventLinks);
        // Allowed is not enabled: Knative's IsOIDCAuthentication needs Enabled.
        Assert.False(flags.IsOIDCAuthentication);
        Assert.False(flags.IsEnabled("_example"));
        Assert.False(FeatureFlags.Defaults.IsCrossNamespaceEventLinks);
        Assert.False(FeatureFlags.Parse(null).IsOIDCAuthentication);
        Assert.Equal(TransportEncryption.Permissive, flags.TransportEncryption);
    }

    [Theory]
    [InlineData(null, nameof(TransportEncryption.Disabled))]
    [InlineData("disabled", nameof(TransportEncryption.Disabled))]
    [InlineData("Permissive", nameof(TransportEncryption.Permissive))]
    [InlineData("STRICT", nameof(TransportEncryption.Strict))]
    // Only transport-encryption takes Permissive and Strict; an unknown value is not a mode.
    [InlineData("enabled", nameof(TransportEncryption.Disabled))]
    [InlineData("tight", nameof(TransportEncryption.Disabled))]
    public void Transport_encryption_is_read_as_Knatives_features_go_reads_it(string? value, string expected)
    {
        var data = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [" transport-encryption"] = value };

        Assert.Equal(expected, FeatureFlags.Parse(data).TransportEncryption.ToString());
        Assert.False(FeatureFlags.Parse(new Dictionary<string, string> { ["cross-namespace-event-links"] = "strict" }).IsCrossNamespaceEventLinks);
    }

    [Fact]
    public void A_ref_into_another_namespace_is_refused_unless_cross_namespace_event_links_is_enabled()
    {
        var elsewhere = new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "default", Namespace = "payments" } };
        var enabled = FeatureFlags.Parse(new Dictionary<string, string> { ["cross-namespace-event-links"] = "enabled" });

        var refused = CrossNamespaceRule.Check(elsewhere, "food", FeatureFlags.Defaults);

        Assert.Equal(new SinkFailure(SinkProblem.NamespaceNotAllowed, "payments", "food"), refused!.Failure);
        Assert.Null(CrossNamespaceRule.Check(elsewhere, "food", enabled));
        var same = new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "default", Namespace = "food" } };
        Assert.Null(CrossNamespaceRule.Check(same, "food", FeatureFlags.Defaults));
        Assert.Null(CrossNamespaceRule.Check(new Destination { Uri = "http://example.com/" }, "food", FeatureFlags.Defaults));
    }

    [Theory]
    // Fits: parent + suffix.
    [InlineData("orders", "-oidc-sources.knative.dev-RocketMQSource", "orders-oidc-sources.knative.dev-RocketMQSource")]
    // A suffix up to 31 characters: the parent is cut to 31 - len(suffix) and its MD5 inserted.
    [InlineData("a-very-long-parent-name-that-goes-on-and-on-and-on-and-on-x", "-create-oidc-token", "a-very-long-p06c4a962ae2d606b038191156573dab7-create-oidc-token")]
    // A longer suffix: parent (at most 31) + MD5(parent + suffix), padded from the suffix to 63.
    [InlineData("a-source-name-of-exactly-31-chr", "-oidc-sources.knative.dev-RocketMQSource", "a-source-name-of-exactly-31-chr40a87035ba8a1f9db2a4df0f94eed82e")]
    // Padding from the suffix would end in "-": makeValidName trims it.
    [InlineData("source-name-of-thirty-chars-xx", "-oidc-sources.knative.dev-RocketMQSource", "source-name-of-thirty-chars-xx25f904a3a57b85f88a4ba4164ed94214")]
    public void Child_names_follow_knative_kmeta_ChildName(string parent, string suffix, string expected)
    {
        var name = OidcResources.ChildName(parent, suffix);

        Assert.True(name.Length <= 63, name);
        Assert.Equal(expected, name);
    }

    [Fact]
    public void The_OIDC_service_account_is_named_and_labelled_as_Knative_names_it_and_owned_by_the_source()
    {
        var source = Source(s => s.ServiceAccountName = "orders-adapter");

        var account = OidcResources.ServiceAccount(source);
        var role = OidcResources.TokenRole(source);
        var binding = OidcResources.TokenRoleBinding(source);

        Assert.Equal("orders-oidc-sources.knative.dev-rocketmqsource", account.Metadata.Name);
        Assert.Equal("enabled", account.Metadata.Labels["oidc"]);
        Assert.Equal("Service Account for OIDC Authentication for RocketMQSource \"orders\"", account.Metadata.Annotations["description"]);
        var owner = Assert.Single(account.Metadata.OwnerReferences);
        Assert.Equal((source.Metadata.Uid, true, false), (owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["serviceaccounts/token"], rule.Resources);
        Assert.Equal(["create"], rule.Verbs);
        Assert.Equal(["orders-oidc-sources.knative.dev-rocketmqsource"], rule.ResourceNames);
        Assert.Equal("orders-create-oidc-token", role.Metadata.Name);
        Assert.Equal(role.Metadata.Name, binding.RoleRef.Name);
        Assert.Equal(("orders-adapter", "food"), (binding.Subjects[0].Name, binding.Subjects[0].NamespaceProperty));
    }

    [Fact]
    public void With_an_OIDC_identity_the_adapter_requests_tokens_for_it_with_its_own_pod_token()
    {
        var source = Source();
        var sink = Sink(audience: "broker/food/default");
        var identity = new AdapterIdentity("orders-oidc-sources.knative.dev-rocketmqsource");

        var deployment = ToJson(ReconcilePlanner.Plan(Inputs(source, sink) with { Identity = identity }).Write!);

        Assert.Equal("orders-oidc-sources.knative.dev-rocketmqsource", Env(deployment, "K_OIDC_SERVICE_ACCOUNT"));
        Assert.Equal("broker/food/default", Env(deployment, "K_AUDIENCE"));
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.DoesNotContain(pod["volumes"]!.AsArray(), v => (string?)v!["name"] == "oidc-token");
    }
}
