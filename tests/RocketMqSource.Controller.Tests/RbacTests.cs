using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>The RBAC in config/ is least privilege and consistent.</summary>
public sealed class RbacTests
{
    private static readonly string[] RoleKinds = ["ClusterRole", "Role"];
    private static readonly string[] BindingKinds = ["ClusterRoleBinding", "RoleBinding"];

    private static IReadOnlyList<Manifest> Roles() => Manifest.LoadConfig().Where(m => RoleKinds.Contains(m.Kind)).ToList();

    private static IEnumerable<(Manifest Role, string Group, string Resource, string Verb)> Grants(Manifest role) =>
        from rule in role.Document["rules"]?.AsArray() ?? []
        from g in rule!["apiGroups"]?.AsArray() ?? []
        from r in rule["resources"]?.AsArray() ?? []
        from v in rule["verbs"]?.AsArray() ?? []
        select (role, (string)g!, (string)r!, (string)v!);

    private static string[] Strings(JsonNode? array) => array?.AsArray().Select(x => (string)x!).ToArray() ?? [];

    [Fact]
    public void No_rule_uses_wildcards_or_names_non_resource_urls()
    {
        foreach (var role in Roles())
        {
            foreach (var rule in role.Document["rules"]!.AsArray())
            {
                foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
                {
                    Assert.DoesNotContain("*", Strings(rule![field]));
                }

                Assert.True(rule!["nonResourceURLs"] is null, $"{role}: grants nonResourceURLs");
            }
        }
    }

    [Fact]
    public void No_role_can_escalate_bind_or_impersonate()
    {
        string[] dangerous = ["escalate", "bind", "impersonate"];
        var found = Roles().SelectMany(Grants).Where(g => dangerous.Contains(g.Verb)).ToList();

        Assert.Empty(found);
    }

    [Fact]
    public void The_controller_ClusterRole_grants_exactly_what_the_controller_needs()
    {
        var role = Roles().Single(r => r.Kind == "ClusterRole" && r.Name == "rocketmqsource-controller");
        var granted = Grants(role).Select(g => $"{g.Group}/{g.Resource}:{g.Verb}").Order(StringComparer.Ordinal).ToList();

        string[] expected =
        [
            "/secrets:get", "/secrets:list", "/secrets:watch",
            "apps/deployments:create", "apps/deployments:get", "apps/deployments:list",
            "apps/deployments:update", "apps/deployments:watch",
            "events.k8s.io/events:create", "events.k8s.io/events:patch",
            "sources.knative.dev/rocketmqsources/finalizers:update",
            "sources.knative.dev/rocketmqsources/status:update",
            "sources.knative.dev/rocketmqsources:get", "sources.knative.dev/rocketmqsources:list", "sources.knative.dev/rocketmqsources:watch",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted);
    }

    [Fact]
    public void Leader_election_is_limited_to_leases_in_the_controller_namespace()
    {
        var lease = Roles().Single(r => Grants(r).Any(g => g.Resource == "leases"));

        Assert.Equal("Role", lease.Kind);
        Assert.Equal("rocketmq-source", (string?)lease.Document["metadata"]!["namespace"]);
        Assert.Equal(["coordination.k8s.io/leases:create", "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:update"],
            Grants(lease).Select(g => $"{g.Group}/{g.Resource}:{g.Verb}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_source_observer_role_aggregates_into_Knative_and_only_reads()
    {
        var observer = Roles().Single(r => r.Name == "rocketmqsource-source-observer");

        Assert.Equal("true", (string?)observer.Document["metadata"]!["labels"]!["duck.knative.dev/source"]);
        Assert.Equal(["get", "list", "watch"], Grants(observer).Select(g => g.Verb).Order(StringComparer.Ordinal));
        Assert.All(Grants(observer), g => Assert.Equal("sources.knative.dev/rocketmqsources", $"{g.Group}/{g.Resource}"));
    }

    [Fact]
    public void Every_binding_names_an_existing_account_and_a_known_role()
    {
        var manifests = Manifest.LoadConfig();
        var accounts = manifests.Where(m => m.Kind == "ServiceAccount")
            .Select(m => $"{m.Document["metadata"]!["namespace"]}/{m.Name}").ToHashSet();
        var roles = manifests.Where(m => RoleKinds.Contains(m.Kind)).Select(m => $"{m.Kind}/{m.Name}").ToHashSet();
        // Knative Eventing (a prerequisite) ships this role; it aggregates every Addressable's reader.
        roles.Add("ClusterRole/addressable-resolver");

        var bindings = manifests.Where(m => BindingKinds.Contains(m.Kind)).ToList();
        Assert.NotEmpty(bindings);
        foreach (var binding in bindings)
        {
            var roleRef = binding.Document["roleRef"]!;
            Assert.Contains($"{roleRef["kind"]}/{roleRef["name"]}", roles);
            foreach (var subject in binding.Document["subjects"]!.AsArray())
            {
                Assert.Equal("ServiceAccount", (string?)subject!["kind"]);
                Assert.Contains($"{subject["namespace"]}/{subject["name"]}", accounts);
            }
        }
    }

    [Fact]
    public void The_controller_resolves_sinks_through_Knatives_addressable_resolver()
    {
        var binding = Manifest.LoadConfig().Single(m => m.Kind == "ClusterRoleBinding" && (string?)m.Document["roleRef"]!["name"] == "addressable-resolver");

        Assert.Equal("rocketmqsource-controller", (string?)binding.Document["subjects"]![0]!["name"]);
    }

    [Fact]
    public void The_adapter_account_has_no_permissions_and_no_token()
    {
        var manifests = Manifest.LoadConfig();
        var adapter = manifests.Single(m => m.Kind == "ServiceAccount" && m.Name == "rocketmqsource-adapter");

        Assert.False((bool?)adapter.Document["automountServiceAccountToken"]);
        var subjects = manifests.Where(m => BindingKinds.Contains(m.Kind))
            .SelectMany(b => b.Document["subjects"]!.AsArray())
            .Select(s => (string?)s!["name"]);
        Assert.DoesNotContain("rocketmqsource-adapter", subjects);
    }
}
