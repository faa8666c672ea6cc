using k8s;
using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Tests.Autoscaling;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Controller.Tests.Manifests;
using RocketMqSource.Testing.Kubernetes;
using RocketMqSource.Testing;

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
            "/serviceaccounts/token:create", "/serviceaccounts:create", "/serviceaccounts:delete", "/serviceaccounts:get",
            "apps/deployments:create", "apps/deployments:get", "apps/deployments:list",
            "apps/deployments:update", "apps/deployments:watch",
            "events.k8s.io/events:create", "events.k8s.io/events:patch",
            "keda.sh/scaledobjects:create", "keda.sh/scaledobjects:delete", "keda.sh/scaledobjects:get",
            "keda.sh/scaledobjects:list", "keda.sh/scaledobjects:update", "keda.sh/scaledobjects:watch",
            "rbac.authorization.k8s.io/rolebindings:create", "rbac.authorization.k8s.io/rolebindings:get",
            "rbac.authorization.k8s.io/roles:create", "rbac.authorization.k8s.io/roles:get",
            "sources.knative.dev/rocketmqsources/finalizers:update",
            "sources.knative.dev/rocketmqsources/status:update",
            "sources.knative.dev/rocketmqsources:get", "sources.knative.dev/rocketmqsources:list", "sources.knative.dev/rocketmqsources:watch",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted);
    }

    [Fact]
    public async Task Every_call_the_controller_makes_is_granted_and_every_grant_is_called()
    {
        await using var harness = await ControllerHarness.StartAsync();
        harness.SeedBroker();
        // With OIDC on, the controller also makes each source's identity (service account, token Role and RoleBinding).
        harness.Server.Seed("/api/v1/namespaces/knative-eventing/configmaps", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "config-features" },
            ["data"] = new JsonObject { ["authentication-oidc"] = "enabled" },
        });
        harness.Server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "rmq" },
            ["data"] = new JsonObject { ["accessKey"] = "YWs=", ["secretKey"] = "c2s=" },
        });
        // Two failed creates of the Deployment: the same Warning twice, the second folded into the first (a patch).
        // One conflict on a Deployment update and one on a status write: each is read again from the API server.
        int failures = 0, deploymentConflicts = 0, statusConflicts = 0;
        harness.Server.FailureInjector = r =>
            r.Method == "POST" && r.Path.EndsWith("/deployments", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 2 ? 500
            : r.Method == "PUT" && r.Path.Contains("/deployments/", StringComparison.Ordinal) && Interlocked.Increment(ref deploymentConflicts) == 1 ? 409
            : r.Method == "PUT" && r.Path.EndsWith("/rocketmqsources/orders/status", StringComparison.Ordinal) && Interlocked.Increment(ref statusConflicts) == 1 ? 409
            : null;
        AutoscalingIntegrationTests.SeedShippedAutoscalerConfig(harness);
        var runtime = harness.StartController(ControllerHarness.Options(leaderElection: true));
        var source = Fixtures.Source(s => s.Credentials = new RocketMQCredentials
        {
            AccessKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq", Key = "accessKey" } },
            SecretKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq", Key = "secretKey" } },
        });
        source.Metadata.Annotations = new Dictionary<string, string> { [AutoscalingAnnotations.Class] = AutoscalingAnnotations.KedaClass };
        var created = await harness.CreateSourceAsync(source);
        var scaledObject = $"{AutoscalingIntegrationTests.ScaledObjectsPath}/{ScaledObjectBuilder.Name(created)}";
        var deployment = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        await harness.MakeAvailableAsync(deployment);
        await harness.WaitForConditionAsync("Ready", "True");
        await Eventually.ValueAsync(() => harness.Server.Requests.Any(r => r.Method == "PATCH" && r.Path.Contains("/events/", StringComparison.Ordinal)) ? "patched" : null, "a repeated Event");
        await harness.EditSourceAsync(s => s.Spec!.Topic = "refunds");
        await Eventually.ValueAsync(() => harness.Deployment(created) is { } d && Fixtures.Env(d, "ROCKETMQ_TOPIC") == "refunds" ? d : null, "the Deployment update");
        await Eventually.ValueAsync(() => harness.Server.TryGet(scaledObject)?.ToJsonString().Contains("refunds", StringComparison.Ordinal) == true ? "updated" : null, "the ScaledObject update");
        await harness.EditSourceAsync(s => s.Metadata.Annotations!.Remove(AutoscalingAnnotations.Class));
        await Eventually.ValueAsync(() => harness.Server.TryGet(scaledObject) is null ? "deleted" : null, "the ScaledObject deletion");
        // OIDC turned off: the source's account is deleted.
        var features = await harness.Client.CoreV1.ReadNamespacedConfigMapAsync("config-features", "knative-eventing");
        features.Data["authentication-oidc"] = "disabled";
        await harness.Client.CoreV1.ReplaceNamespacedConfigMapAsync(features, "config-features", "knative-eventing");
        await Eventually.ValueAsync(() => harness.Server.Requests.Any(r => r.Method == "DELETE" && r.Path.Contains("/serviceaccounts/", StringComparison.Ordinal)) ? "deleted" : null, "the OIDC account deletion");
        await harness.StopControllerAsync(runtime);

        // What the controller sent, as RBAC sees it: every request but the test's own writes (create and
        // replace the source, the Deployment controller's status patch, the config-features edit).
        var controllerRequests = harness.Server.Requests
            .Where(r => !(r.Method is "POST" or "PUT" && r.Path.EndsWith("/rocketmqsources", StringComparison.Ordinal)))
            .Where(r => !(r.Method == "PUT" && r.Path.EndsWith("/rocketmqsources/orders", StringComparison.Ordinal)))
            .Where(r => !(r.Method == "PATCH" && r.Path.EndsWith("/deployments/" + deployment["metadata"]!["name"] + "/status", StringComparison.Ordinal)))
            .Where(r => !r.Path.EndsWith("/configmaps/config-features", StringComparison.Ordinal))
            .ToList();
        var calls = controllerRequests.Select(Permission).ToHashSet();
        var granted = Roles().Where(r => r.Name is "rocketmqsource-controller" or "rocketmqsource-controller-leader-election" or "rocketmqsource-controller-knative-config" or "rocketmqsource-controller-config")
            .SelectMany(Grants).Select(g => $"{g.Group}/{g.Resource}:{g.Verb}").ToHashSet();
        // Knative's addressable-resolver ClusterRole (bound in 202-clusterrolebinding.yaml) reads every Addressable;
        // the controller lists and watches them (its sinks come from the cache), so its get is not counted here.
        granted.UnionWith(["eventing.knative.dev/brokers:list", "eventing.knative.dev/brokers:watch"]);

        Assert.Empty(calls.Except(granted).Order(StringComparer.Ordinal));
        // Only checked by admission, never called: the owner's finalizers (OwnerReferencesPermissionEnforcement)
        // and token creation, which the controller must hold to create a Role granting it (escalation prevention).
        Assert.Equal(["/serviceaccounts/token:create", "sources.knative.dev/rocketmqsources/finalizers:update"], granted.Except(calls).Order(StringComparer.Ordinal));
        // The ConfigMap grants are by resourceNames: config-features listed and watched in the eventing
        // namespace; config-observability, config-logging and config-rocketmq-autoscaler listed and watched
        // in the controller's; no other ConfigMap call, and no get.
        var configMapCalls = controllerRequests.Where(r => r.Path.Contains("/configmaps", StringComparison.Ordinal)).ToList();
        string[] ownMapsWatched = ["config-observability", "config-logging", "config-rocketmq-autoscaler"];
        Assert.All(ownMapsWatched, name => Assert.Contains(configMapCalls, r => r.IsWatch && r.Query.Contains("fieldSelector=metadata.name%3D" + name, StringComparison.Ordinal)));
        Assert.All(configMapCalls, r =>
        {
            if (r.Path.StartsWith("/api/v1/namespaces/knative-eventing/configmaps", StringComparison.Ordinal))
            {
                Assert.Contains("fieldSelector=metadata.name%3Dconfig-features", r.Query, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(("GET", "/api/v1/namespaces/rocketmq-source/configmaps"), (r.Method, r.Path));
                Assert.Single(ownMapsWatched, name => r.Query.Contains("fieldSelector=metadata.name%3D" + name, StringComparison.Ordinal));
            }
        });
        // Secrets are listed and watched as metadata only.
        Assert.All(harness.Server.Requests.Where(r => r.Path.EndsWith("/secrets", StringComparison.Ordinal) && r.Method == "GET"), r =>
            Assert.Contains("as=PartialObjectMetadata", r.Accept, StringComparison.Ordinal));
    }

    private static string Permission(RecordedRequest request)
    {
        var path = ApiPath.TryParse(request.Path) ?? throw new InvalidOperationException($"not an API path: {request.Path}");
        var verb = (request.Method, path.Name) switch
        {
            ("GET", null) => request.IsWatch ? "watch" : "list",
            ("GET", _) => "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", _) => "delete",
            _ => request.Method,
        };
        var resource = path.Subresource is null ? path.Plural : $"{path.Plural}/{path.Subresource}";
        return $"{path.Group}/{resource}:{verb}";
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
    public void Knative_config_is_read_from_one_named_ConfigMap_in_the_eventing_namespace()
    {
        var role = Roles().Single(r => r.Name == "rocketmqsource-controller-knative-config");

        Assert.Equal(("Role", "knative-eventing"), (role.Kind, (string?)role.Document["metadata"]!["namespace"]));
        var rule = Assert.Single(role.Document["rules"]!.AsArray())!;
        Assert.Equal(["config-features"], Strings(rule["resourceNames"]));
        Assert.Equal(["list", "watch"], Strings(rule["verbs"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_controller_namespace_config_is_watched_by_name()
    {
        var role = Roles().Single(r => r.Name == "rocketmqsource-controller-config");

        Assert.Equal(("Role", "rocketmq-source"), (role.Kind, (string?)role.Document["metadata"]!["namespace"]));
        var rule = Assert.Single(role.Document["rules"]!.AsArray())!;
        Assert.Equal(["config-logging", "config-observability", "config-rocketmq-autoscaler"], Strings(rule["resourceNames"]).Order(StringComparer.Ordinal));
        Assert.Equal(["list", "watch"], Strings(rule["verbs"]).Order(StringComparer.Ordinal));
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
