using RocketMqSource.Packaging.Tests.Docker;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>The .dockerignore matcher follows Docker's rules, and the repository's file keeps the context to what the build needs.</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("bin", "bin/a.dll", true)]
    [InlineData("**/bin", "src/P/bin/Release/a.dll", true)]
    [InlineData("**/bin/", "bin/a.dll", true)]
    [InlineData("*/bin", "src/P/bin/a.dll", false)]
    [InlineData("src/*/obj", "src/P/obj/x.json", true)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("/samples", "samples/food/x.yaml", true)]
    public void A_pattern_covers_a_path_or_anything_under_a_folder_it_matches(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));
    }

    [Fact]
    public void The_last_matching_pattern_wins_and_an_exclamation_mark_re_includes()
    {
        var ignore = DockerIgnore.Parse("""
            # comment
            *
            !src
            **/obj
            !src/Keep/obj/kept.json
            """);

        Assert.True(ignore.IsExcluded("README.md"));
        Assert.False(ignore.IsExcluded("src/P/Program.cs"));
        Assert.True(ignore.IsExcluded("src/P/obj/project.assets.json"));
        Assert.False(ignore.IsExcluded("src/Keep/obj/kept.json"));
    }

    [Theory]
    [InlineData("src/RocketMqSource.Adapter/Program.cs", false)]
    [InlineData("src/RocketMqSource.RocketMq/Protos/apache/rocketmq/v2/service.proto", false)]
    [InlineData("Directory.Packages.props", false)]
    [InlineData("global.json", false)]
    [InlineData(".editorconfig", false)]
    [InlineData("src/RocketMqSource.Adapter/obj/project.assets.json", true)]
    [InlineData("src/RocketMqSource.Adapter/bin/Release/net10.0/RocketMqSource.Adapter.dll", true)]
    [InlineData("tests/interop/node_modules/cloudevents/package.json", true)]
    [InlineData("tests/RocketMqSource.Adapter.Tests/RocketMqSource.Adapter.Tests.csproj", true)]
    [InlineData(".git", true)]
    [InlineData("release/rocketmqsource.yaml", true)]
    public void The_repository_context_holds_the_sources_and_props_but_no_build_output_tests_or_git(string path, bool excluded)
    {
        var ignore = DockerIgnore.Load(RepoPaths.Combine(".dockerignore"));

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }
}
