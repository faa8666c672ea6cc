using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// hack/release.sh in its build mode, with `docker` and `kubectl` replaced by recording
/// doubles on PATH (this machine has no Docker engine and no cluster): which images it builds
/// from ko.yaml, that it pushes them and resolves config/ to their digests, and what it applies.
/// </summary>
public sealed class ReleaseBuildModeTests : IDisposable
{
    private const string Repo = "registry.example.com/rocketmq";
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-release-build-").FullName;

    public ReleaseBuildModeTests()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        // docker: records each call; `inspect` answers with an image id or a registry digest
        // derived from the reference.
        StandIn.Write(Path.Combine(bin, "docker"), """
            #!/usr/bin/env bash
            echo "docker $*" >> "$CALLS"
            if [[ "$1 $2 $3" == "buildx imagetools inspect" ]]; then
              echo "sha256:$(printf 'index %s' "$4" | sha256sum | cut -c1-64)"
            elif [[ "$1" == inspect ]]; then
              ref="${@: -1}"
              hash="$(printf '%s' "$ref" | sha256sum | cut -c1-64)"
              if [[ "$*" == *'{{.Id}}'* ]]; then echo "sha256:$hash"; else echo "${ref%:*}@sha256:$hash"; fi
            fi
            """);
        StandIn.Write(Path.Combine(bin, "kind"), """
            #!/usr/bin/env bash
            echo "kind $*" >> "$CALLS"
            """);
        StandIn.Write(Path.Combine(bin, "kubectl"), """
            #!/usr/bin/env bash
            echo "kubectl $*" >> "$CALLS"
            cp "${@: -1}" "$APPLIED"
            """);
    }

    private string Calls => Path.Combine(_scratch, "calls.txt");

    private string Applied => Path.Combine(_scratch, "applied.yaml");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private Task<ProcessResult> Release(string repo, params string[] arguments) =>
        Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = repo }, arguments);

    private Task<ProcessResult> Release(Dictionary<string, string?> environment, params string[] arguments)
    {
        environment["PATH"] = $"{Path.Combine(_scratch, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["KO_CONFIG_PATH"] = null;
        environment["CALLS"] = Calls;
        environment["APPLIED"] = Applied;
        return ProcessRunner.RunAsync("bash", [RepoPaths.Combine("hack", "release.sh"), .. arguments], RepoPaths.Root, environment, timeout: TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Each_ko_build_is_built_from_its_Dockerfile_target_on_its_base_image_then_pushed()
    {
        var output = Path.Combine(_scratch, "release.yaml");

        (await Release(Repo, "--tag", "v1.2.3", "--output", output)).EnsureSuccess();

        var calls = File.ReadAllLines(Calls);
        var ko = KoConfig.Load();
        foreach (var build in ko.Builds)
        {
            var reference = $"{Repo}/{build.Main}:v1.2.3";
            Assert.Contains($"docker build --target {build.Id} --build-arg {ImageTargets.BaseArg(build.Id)}={ko.BaseImageOf(build.Main)} --tag {reference} {RepoPaths.Root}", calls);
            Assert.Contains($"docker push {reference}", calls);
        }

        Assert.Equal("docker info", calls[0]);
    }

    [Fact]
    public async Task Pushed_images_are_referenced_by_digest_and_apply_applies_the_resolved_manifest()
    {
        (await Release(Repo, "--tag", "v1.2.3", "--output", Path.Combine(_scratch, "release.yaml"), "--apply")).EnsureSuccess();

        Assert.Contains(File.ReadAllLines(Calls), c => c.StartsWith("kubectl apply -f ", StringComparison.Ordinal));
        var applied = Manifest.LoadFile(Applied);
        var references = KoConfigTests.ConfigImageReferences(applied);
        Assert.Equal(Manifest.LoadConfig().Count, applied.Count);
        Assert.Equal(2, references.Count);
        Assert.All(references, r => Assert.Matches($"^{Repo}/rocketmqsource-(controller|adapter)@sha256:[0-9a-f]{{64}}$", r));
    }

    [Theory]
    [InlineData("ko.local")]
    [InlineData("kind.local")]
    public async Task A_local_repository_references_each_image_by_a_tag_made_of_its_image_id(string repo)
    {
        var output = Path.Combine(_scratch, "release.yaml");

        (await Release(repo, "--tag", "dev", "--output", output)).EnsureSuccess();

        // As ko's kind and daemon publishers do (ko-build/ko pkg/publish/kind.go): <repo>/<name>:<image id hex>.
        var calls = File.ReadAllLines(Calls);
        var references = KoConfigTests.ConfigImageReferences(Manifest.LoadFile(output));
        Assert.DoesNotContain(calls, c => c.StartsWith("docker push", StringComparison.Ordinal));
        Assert.Equal(2, references.Count);
        foreach (var reference in references)
        {
            Assert.Matches($"^{repo}/rocketmqsource-(controller|adapter):[0-9a-f]{{64}}$", reference);
            var built = $"{reference[..reference.LastIndexOf(':')]}:dev";
            Assert.Contains($"docker tag {built} {reference}", calls);
            Assert.Equal(repo == "kind.local", calls.Contains($"kind load docker-image {reference} --name kind"));
        }
    }

    [Fact]
    public async Task The_kind_path_loads_into_the_named_cluster_and_applies_the_resolved_manifest()
    {
        var environment = new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = "kind.local", ["KIND_CLUSTER_NAME"] = "knative", ["VERSION"] = "v0.1.0" };

        (await Release(environment, "--output", Path.Combine(_scratch, "release.yaml"), "--apply")).EnsureSuccess();

        var calls = File.ReadAllLines(Calls);
        var references = KoConfigTests.ConfigImageReferences(Manifest.LoadFile(Applied));
        Assert.Equal(2, calls.Count(c => c.StartsWith("kind load docker-image kind.local/", StringComparison.Ordinal) && c.EndsWith(" --name knative", StringComparison.Ordinal)));
        Assert.All(references, r => Assert.Contains($"kind load docker-image {r} --name knative", calls));
        Assert.True(Array.FindIndex(calls, c => c.StartsWith("kubectl apply", StringComparison.Ordinal)) > Array.FindLastIndex(calls, c => c.StartsWith("kind load", StringComparison.Ordinal)),
            "the manifest is applied only after both images are in the cluster");
    }

    [Theory]
    [InlineData("linux/arm64", "linux-arm64")]
    [InlineData("linux/amd64", "linux-x64")]
    public async Task A_platform_builds_every_image_for_it_with_the_matching_runtime_identifier(string platform, string rid)
    {
        (await Release(Repo, "--platform", platform, "--tag", "v1.2.3-arch", "--output", Path.Combine(_scratch, "release.yaml"))).EnsureSuccess();

        var builds = File.ReadAllLines(Calls).Where(c => c.StartsWith("docker build ", StringComparison.Ordinal)).ToList();
        Assert.Equal(KoConfig.Load().Builds.Count, builds.Count);
        Assert.All(builds, b => Assert.StartsWith($"docker build --platform {platform} --build-arg RID={rid} --target ", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_platform_is_refused()
    {
        var result = await Release(Repo, "--platform", "windows/amd64", "--tag", "v1.2.3", "--output", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--platform windows/amd64: linux/amd64 or linux/arm64", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_only_with_digests_references_each_pushed_image_by_its_registry_digest()
    {
        // The release workflow pushes one multi-platform index per image elsewhere, then resolves config/ to their digests.
        var result = await Release(Repo, "--resolve-only", "--digests", "--tag", "v1.2.3", "--output", "-");

        result.EnsureSuccess();
        var calls = File.ReadAllLines(Calls);
        foreach (var build in KoConfig.Load().Builds)
        {
            var tagged = $"{Repo}/{build.Main}:v1.2.3";
            Assert.Contains($"docker buildx imagetools inspect {tagged} --format {{{{.Manifest.Digest}}}}", calls);
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"index {tagged}")));
            Assert.Contains($"{Repo}/{build.Main}@sha256:{digest}", result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(calls, c => c.StartsWith("docker build ", StringComparison.Ordinal) || c.StartsWith("docker push", StringComparison.Ordinal));
        Assert.DoesNotContain(":v1.2.3", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digests_without_resolve_only_are_refused()
    {
        var result = await Release(Repo, "--digests", "--tag", "v1.2.3", "--output", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--digests goes with --resolve-only", result.StandardError, StringComparison.Ordinal);
    }
}
