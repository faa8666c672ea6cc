using System.Text.Json.Nodes;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>hack/release.sh --resolve-only: config/ turned into one release manifest with every image resolved.</summary>
public sealed class ReleaseScriptTests : IDisposable
{
    private const string Repo = "registry.example.com/rocketmq";
    private const string Tag = "v0.3.1-rc.1";
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-release-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static Task<ProcessResult> Release(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.Combine("hack", "release.sh"), .. arguments], RepoPaths.Root, environment, timeout: TimeSpan.FromSeconds(60));

    private async Task<IReadOnlyList<Manifest>> ResolveAsync()
    {
        var output = Path.Combine(_scratch, "release", "rocketmqsource.yaml");
        (await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = Repo, ["KO_CONFIG_PATH"] = null }, "--resolve-only", "--tag", Tag, "--output", output)).EnsureSuccess();
        return Manifest.LoadFile(output);
    }

    [Fact]
    public async Task The_manifest_holds_every_document_of_config_in_order_with_only_the_images_changed()
    {
        var config = Manifest.LoadConfig();
        var release = await ResolveAsync();

        Assert.Equal(config.Count, release.Count);
        var resolved = KoConfig.Load().Builds.ToDictionary(b => $"ko://{b.Main}", b => $"{Repo}/{b.Main}:{Tag}");
        for (var i = 0; i < config.Count; i++)
        {
            var expected = config[i].Document.ToJsonString();
            foreach (var (placeholder, reference) in resolved)
            {
                expected = expected.Replace($"\"{placeholder}\"", $"\"{reference}\"", StringComparison.Ordinal);
            }

            Assert.True(expected == release[i].Document.ToJsonString(), $"document {i} ({config[i]}) differs beyond its image references");
        }
    }

    [Fact]
    public async Task Every_image_is_resolved_to_the_repository_ko_names_and_the_version_tag()
    {
        var release = await ResolveAsync();
        var references = KoConfigTests.ConfigImageReferences(release);
        var controller = release.Single(m => m.Kind == "Deployment").Document["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var env = controller["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal(2, references.Count);
        Assert.All(references, r => Assert.DoesNotContain(":latest", r, StringComparison.Ordinal));
        Assert.All(references, r => Assert.DoesNotContain("ko://", r, StringComparison.Ordinal));
        Assert.Equal($"{Repo}/rocketmqsource-controller:{Tag}", (string?)controller["image"]);
        Assert.Equal($"{Repo}/rocketmqsource-adapter:{Tag}", (string?)env["ADAPTER_IMAGE"]["value"]);
    }

    [Fact]
    public async Task The_manifest_validates_against_the_published_schemas()
    {
        var release = await ResolveAsync();

        var verdicts = await PublishedSchemas.ValidateAsync(release.Select(m => (m.Id, (JsonNode)m.Document)));

        Assert.Equal(release.Count, verdicts.Count);
        var failures = verdicts.Values.Where(v => !v.Valid).Select(v => $"{v.Id} {v.Kind}: {string.Join("; ", v.Errors)}").ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task An_image_ko_yaml_does_not_build_stops_the_release_and_is_named()
    {
        var ko = Path.Combine(_scratch, "ko.yaml");
        File.WriteAllText(ko, """
            defaultBaseImage: mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
            builds:
              - id: controller
                dir: src/RocketMqSource.Controller
                main: rocketmqsource-controller
            """);
        var output = Path.Combine(_scratch, "out.yaml");

        var result = await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = Repo, ["KO_CONFIG_PATH"] = ko }, "--resolve-only", "--tag", Tag, "--output", output);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ko://rocketmqsource-adapter", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task The_image_names_come_from_ko_yaml()
    {
        var ko = Path.Combine(_scratch, "ko.yaml");
        File.WriteAllText(ko, File.ReadAllText(RepoPaths.Combine("ko.yaml")).Replace("main: rocketmqsource-adapter", "main: rocketmqsource-adapter # the adapter", StringComparison.Ordinal)
            + "  - id: extra\n    dir: src/RocketMqSource.Emulator\n    main: \"rocketmqsource-emulator\"\n");

        var result = await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = Repo, ["KO_CONFIG_PATH"] = ko }, "--resolve-only", "--tag", Tag, "--output", "-");

        result.EnsureSuccess();
        Assert.Contains($"ko://rocketmqsource-emulator -> {Repo}/rocketmqsource-emulator:{Tag}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"image: {Repo}/rocketmqsource-controller:{Tag}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "KO_DOCKER_REPO is not set")]
    [InlineData("Registry.Example.com/UPPER", "is not a valid image repository")]
    public async Task A_missing_or_invalid_registry_stops_the_release(string? repo, string message)
    {
        var result = await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = repo }, "--resolve-only", "--tag", Tag, "--output", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task A_latest_tag_stops_the_release()
    {
        var result = await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = Repo, ["KO_CONFIG_PATH"] = null }, "--resolve-only", "--tag", "latest", "--output", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--tag latest: a release names a version", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task A_ko_yaml_in_a_style_the_script_does_not_read_stops_the_release()
    {
        var ko = Path.Combine(_scratch, "ko.yaml");
        File.WriteAllText(ko, "defaultBaseImage: mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nbuilds: [{id: controller, dir: src/RocketMqSource.Controller, main: rocketmqsource-controller}]\n");

        var result = await Release(new Dictionary<string, string?> { ["KO_DOCKER_REPO"] = Repo, ["KO_CONFIG_PATH"] = ko }, "--resolve-only", "--tag", Tag, "--output", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not understood", result.StandardError, StringComparison.Ordinal);
    }
}
