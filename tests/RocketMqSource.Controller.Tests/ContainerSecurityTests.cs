using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>Every container config/ deploys runs locked down, and the controller's wiring matches its contract.</summary>
public sealed class ContainerSecurityTests
{
    private static IEnumerable<(Manifest Owner, JsonObject Pod, JsonObject Container)> Containers() =>
        from manifest in Manifest.LoadConfig()
        let pod = manifest.Document["spec"]?["template"]?["spec"] as JsonObject
        where pod is not null
        from list in new[] { "initContainers", "containers" }
        from container in pod[list]?.AsArray() ?? []
        select (manifest, pod, (JsonObject)container!);

    /// <summary>A container setting, falling back to the pod's securityContext as Kubernetes does.</summary>
    private static JsonNode? Effective(JsonObject pod, JsonObject container, string field) =>
        container["securityContext"]?[field] ?? pod["securityContext"]?[field];

    [Fact]
    public void Config_deploys_at_least_one_container()
    {
        Assert.NotEmpty(Containers());
    }

    [Fact]
    public void Every_container_runs_as_a_non_root_user()
    {
        foreach (var (owner, pod, container) in Containers())
        {
            var where = $"{owner} container {container["name"]}";
            Assert.True((bool?)Effective(pod, container, "runAsNonRoot") == true, $"{where}: runAsNonRoot is not true");
            var user = (long?)Effective(pod, container, "runAsUser");
            Assert.True(user is > 0, $"{where}: runAsUser {user} is not a non-root id");
        }
    }

    [Fact]
    public void Every_container_has_a_read_only_root_filesystem_and_no_privilege_escalation()
    {
        foreach (var (owner, _, container) in Containers())
        {
            var context = container["securityContext"];
            Assert.True((bool?)context?["readOnlyRootFilesystem"] == true, $"{owner}: root filesystem is writable");
            Assert.True((bool?)context?["allowPrivilegeEscalation"] == false, $"{owner}: privilege escalation is allowed");
            Assert.True(context?["privileged"] is null || (bool?)context["privileged"] == false, $"{owner}: privileged");
        }
    }

    [Fact]
    public void Every_container_drops_all_capabilities_and_adds_none()
    {
        foreach (var (owner, _, container) in Containers())
        {
            var capabilities = container["securityContext"]?["capabilities"];
            var dropped = capabilities?["drop"]?.AsArray().Select(c => (string?)c).ToList() ?? [];
            Assert.Contains("ALL", dropped);
            Assert.True(capabilities?["add"] is null || capabilities["add"]!.AsArray().Count == 0, $"{owner}: adds capabilities");
        }
    }

    [Fact]
    public void Every_container_uses_the_runtime_default_seccomp_profile()
    {
        foreach (var (owner, pod, container) in Containers())
        {
            Assert.True((string?)Effective(pod, container, "seccompProfile")?["type"] == "RuntimeDefault", $"{owner}: seccompProfile is not RuntimeDefault");
        }
    }

    [Fact]
    public void Every_container_has_resource_requests_a_memory_limit_and_probes()
    {
        foreach (var (owner, _, container) in Containers().Where(c => c.Pod["containers"]!.AsArray().Contains(c.Container)))
        {
            Assert.True(container["resources"]?["requests"]?["cpu"] is not null, $"{owner}: no cpu request");
            Assert.True(container["resources"]?["requests"]?["memory"] is not null, $"{owner}: no memory request");
            Assert.True(container["resources"]?["limits"]?["memory"] is not null, $"{owner}: no memory limit");
            Assert.True(container["livenessProbe"] is not null, $"{owner}: no liveness probe");
            Assert.True(container["readinessProbe"] is not null, $"{owner}: no readiness probe");
        }
    }

    [Fact]
    public void The_only_writable_path_is_an_emptyDir_for_tmp()
    {
        foreach (var (owner, pod, container) in Containers())
        {
            var volumes = pod["volumes"]?.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!) ?? [];
            foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
            {
                var volume = volumes[(string)mount!["name"]!];
                Assert.True(volume["emptyDir"] is not null || (bool?)mount["readOnly"] == true,
                    $"{owner}: {mount["mountPath"]} is a writable volume other than an emptyDir");
            }
        }
    }

    [Fact]
    public void The_controller_gets_its_namespace_adapter_image_and_ports()
    {
        var (_, pod, container) = Containers().Single(c => c.Owner.Name == "rocketmqsource-controller");
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal("rocketmqsource-controller", (string?)pod["serviceAccountName"]);
        Assert.Equal("ko://rocketmqsource-controller", (string?)container["image"]);
        Assert.Equal("metadata.namespace", (string?)env["SYSTEM_NAMESPACE"]["valueFrom"]?["fieldRef"]?["fieldPath"]);
        Assert.Equal("ko://rocketmqsource-adapter", (string?)env["ADAPTER_IMAGE"]["value"]);
        Assert.Equal("9090", (string?)env["METRICS_PORT"]["value"]);
        Assert.Equal("8080", (string?)env["HEALTH_PORT"]["value"]);
        Assert.Equal("true", (string?)env["LEADER_ELECTION_ENABLED"]["value"]);

        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (long)p!["containerPort"]!);
        Assert.Equal(9090L, ports["metrics"]);
        Assert.Equal(8080L, ports["health"]);
        Assert.Equal("/health", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readiness", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("health", (string?)container["livenessProbe"]!["httpGet"]!["port"]);
    }
}
