using System.Text.Json.Nodes;
using RocketMqSource.Packaging.Tests.Docker;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>ko.yaml names the images config/ refers to, the projects and Dockerfile stages that build them, and their base.</summary>
public sealed class KoConfigTests
{
    private static readonly KoConfig Ko = KoConfig.Load();

    /// <summary>Every image config/ refers to: container images and the adapter image the controller is told to deploy.</summary>
    internal static IReadOnlyList<string> ConfigImageReferences(IEnumerable<Manifest> manifests) =>
        (from manifest in manifests
         let containers = manifest.Document["spec"]?["template"]?["spec"]?["containers"]?.AsArray() ?? []
         from container in containers
         from reference in new[] { (string?)container!["image"] }
             .Concat((container["env"]?.AsArray() ?? []).Where(e => (string?)e!["name"] == "ADAPTER_IMAGE").Select(e => (string?)e!["value"]))
         select reference!).ToList();

    [Fact]
    public void Ko_names_exactly_the_images_config_refers_to()
    {
        var placeholders = Ko.Builds.Select(b => $"ko://{b.Main}").Order().ToList();

        Assert.Equal(placeholders, ConfigImageReferences(Manifest.LoadConfig()).Distinct().Order().ToList());
        Assert.Equal(["rocketmqsource-adapter", "rocketmqsource-controller"], Ko.Builds.Select(b => b.Main).Order().ToList());
    }

    [Fact]
    public void Each_build_is_a_Dockerfile_target_publishing_the_project_in_its_dir()
    {
        var dockerfile = Dockerfile.Load(RepoPaths.Combine("Dockerfile"));
        foreach (var build in Ko.Builds)
        {
            var project = $"{build.Dir}/{Path.GetFileName(build.Dir)}.csproj";
            Assert.True(File.Exists(RepoPaths.Combine(project)), $"build {build.Id}: no {project}");
            Assert.Equal(project, ImageTargets.Project[build.Id]);
            var stage = dockerfile[build.Id];
            var publishStage = dockerfile[stage.Where("COPY").Single().Arguments.Split(' ')[0]["--from=".Length..]];
            Assert.Contains($"dotnet publish {project} ", publishStage.Where("RUN").Single().Arguments, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_image_base_is_its_Dockerfile_stage_base_and_overrides_name_built_images()
    {
        var dockerfile = Dockerfile.Load(RepoPaths.Combine("Dockerfile"));

        Assert.All(Ko.BaseImageOverrides.Keys, name => Assert.Contains(name, Ko.Builds.Select(b => b.Main)));
        foreach (var build in Ko.Builds)
        {
            // hack/release.sh passes ko's base as <ID>_BASE: the Dockerfile's default is the same image.
            Assert.Equal(dockerfile.GlobalArgs[ImageTargets.BaseArg(build.Id)], Ko.BaseImageOf(build.Main));
            Assert.Matches(ImageTargets.BasePattern[build.Id], Ko.BaseImageOf(build.Main));
        }
    }

    [Fact]
    public void Ko_yaml_uses_only_keys_ko_itself_knows()
    {
        var root = (JsonObject)YamlJson.ParseDocuments(File.ReadAllText(RepoPaths.Combine("ko.yaml"))).Single();

        Assert.All(root.Select(p => p.Key), key => Assert.Contains(key, new[] { "defaultBaseImage", "baseImageOverrides", "builds" }));
        Assert.All(root["builds"]!.AsArray(), b => Assert.Equal(["dir", "id", "main"], b!.AsObject().Select(p => p.Key).Order().ToArray()));
    }
}
