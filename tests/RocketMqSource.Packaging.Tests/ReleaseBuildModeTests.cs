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
        // docker: records each call; `inspect` answers with a digest derived from the reference.
        WriteExecutable(Path.Combine(bin, "docker"), """
            #!/usr/bin/env bash
            echo "docker $*" >> "$CALLS"
            if [[ "$1" == inspect ]]; then
              ref="${@: -1}"
              echo "${ref%:*}@sha256:$(printf '%s' "$ref" | sha256sum | cut -c1-64)"
            fi
            """);
        WriteExecutable(Path.Combine(bin, "kubectl"), """
            #!/usr/bin/env bash
            echo "kubectl $*" >> "$CALLS"
            cp "${@: -1}" "$APPLIED"
            """);
    }

    private string Calls => Path.Combine(_scratch, "calls.txt");

    private string Applied => Path.Combine(_scratch, "applied.yaml");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private Task<ProcessResult> Release(string repo, params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.Combine("hack", "release.sh"), .. arguments], RepoPaths.Root, new Dictionary<string, string?>
        {
            ["PATH"] = $"{Path.Combine(_scratch, "bin")}:{Environment.GetEnvironmentVariable("PATH")}",
            ["KO_DOCKER_REPO"] = repo,
            ["KO_CONFIG_PATH"] = null,
            ["CALLS"] = Calls,
            ["APPLIED"] = Applied,
        }, timeout: TimeSpan.FromSeconds(60));

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
            Assert.Contains($"docker build --target {build.Id} --build-arg RUNTIME_BASE={ko.BaseImageOf(build.Main)} --tag {reference} {RepoPaths.Root}", calls);
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

    [Fact]
    public async Task A_local_repository_keeps_the_images_in_the_engine_and_references_them_by_tag()
    {
        (await Release("ko.local", "--tag", "dev", "--output", Path.Combine(_scratch, "release.yaml"))).EnsureSuccess();

        var calls = File.ReadAllLines(Calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("docker push", StringComparison.Ordinal));
        var references = KoConfigTests.ConfigImageReferences(Manifest.LoadFile(Path.Combine(_scratch, "release.yaml")));
        Assert.Equal(["ko.local/rocketmqsource-adapter:dev", "ko.local/rocketmqsource-controller:dev"], references.Order().ToArray());
    }

    private static void WriteExecutable(string path, string script)
    {
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
