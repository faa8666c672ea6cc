using System.Xml.Linq;
using RocketMqSource.Packaging.Tests.Docker;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>The Dockerfile read as BuildKit reads it: stages, copies, layer order, users and entrypoints.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load(RepoPaths.Combine("Dockerfile"));
    private static readonly DockerIgnore Ignore = DockerIgnore.Load(RepoPaths.Combine(".dockerignore"));

    private static IEnumerable<(Stage Stage, Instruction Copy, string Source)> ContextCopies() =>
        from stage in File.Stages
        from copy in stage.Where("COPY")
        let words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        where !words[0].StartsWith("--from=", StringComparison.Ordinal)
        from source in words[..^1]
        select (stage, copy, source);

    [Fact]
    public void Every_path_copied_from_the_context_exists_and_is_not_left_out_by_dockerignore()
    {
        Assert.NotEmpty(ContextCopies());
        foreach (var (_, copy, source) in ContextCopies())
        {
            Assert.True(Path.Exists(RepoPaths.Combine(source)), $"{copy}: {source} does not exist");
            Assert.False(Ignore.IsExcluded(source.Trim('/')), $"{copy}: .dockerignore leaves {source} out of the context");
        }
    }

    [Fact]
    public void Every_stage_copied_from_is_a_stage_of_the_Dockerfile()
    {
        var names = File.Stages.Select(s => s.Name).ToHashSet();
        var froms = File.Stages.SelectMany(s => s.Where("COPY"))
            .Select(c => c.Arguments.Split(' ')[0])
            .Where(w => w.StartsWith("--from=", StringComparison.Ordinal))
            .Select(w => w["--from=".Length..])
            .ToList();

        Assert.NotEmpty(froms);
        Assert.All(froms, f => Assert.Contains(f, names));
    }

    [Fact]
    public void Restore_runs_before_the_sources_are_copied_with_every_project_file_the_executables_need()
    {
        var build = File["build"];
        var firstRestore = build.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.True(firstRestore > 0, "the build stage has no `dotnet restore`");
        var beforeRestore = build.Instructions.Take(firstRestore).Where(i => i.Keyword == "COPY")
            .SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        // Only what restore reads, so that a source change does not invalidate the package layer.
        Assert.All(beforeRestore, source => Assert.Matches(@"(\.csproj|\.props|global\.json)$", source));
        var needed = ImageTargets.Project.Values.SelectMany(ProjectClosure).ToHashSet();
        Assert.All(needed, project => Assert.Contains(project, beforeRestore));
        Assert.Contains("Directory.Packages.props", beforeRestore);
        Assert.Contains("Directory.Build.props", beforeRestore);

        // Each executable is restored for the runtime identifier it is then published for.
        foreach (var project in ImageTargets.Project.Values)
        {
            Assert.Contains(build.Where("RUN"), r => r.Arguments == $"dotnet restore {project} -r $RID");
        }
    }

    [Theory]
    [InlineData(ImageTargets.Controller)]
    [InlineData(ImageTargets.Adapter)]
    public void Each_target_publishes_its_project_in_release_from_the_restored_tree(string target)
    {
        var copy = File[target].Where("COPY").Single();
        var publishStage = File[copy.Arguments.Split(' ')[0]["--from=".Length..]];
        var publish = Assert.Single(publishStage.Where("RUN"));

        Assert.Equal("build", publishStage.From);
        Assert.Equal(ImageTargets.Publish[target], publish.Arguments);
        Assert.Equal("linux-x64", File.ArgsOf(publishStage)["RID"]);
    }

    [Theory]
    [InlineData(ImageTargets.Controller, "RocketMqSource.Controller")]
    [InlineData(ImageTargets.Adapter, "RocketMqSource.Adapter")]
    public void Each_final_stage_runs_its_executable_as_the_non_root_user_on_its_chiseled_base(string target, string executable)
    {
        var stage = File[target];

        Assert.Equal(ImageTargets.User, stage.User);
        Assert.Equal([$"/app/{executable}"], stage.Entrypoint);
        Assert.Equal("/app", stage.Where("WORKDIR").Single().Arguments);
        Assert.Equal(File.GlobalArgs[ImageTargets.BaseArg(target)], stage.From);
        Assert.Matches(ImageTargets.BasePattern[target], stage.From);
        // The ASP.NET and runtime-deps images listen on 8080 by default; our executables bind the ports they are configured with.
        Assert.Contains(stage.Where("ENV"), e => e.Arguments == "ASPNETCORE_HTTP_PORTS=");
    }

    [Fact]
    public void The_build_stage_uses_the_NET_10_SDK_with_the_Native_AOT_toolchain()
    {
        // The -aot SDK images add the C toolchain ILC links with; the plain SDK image cannot publish the adapter.
        Assert.Matches("^mcr.microsoft.com/dotnet/sdk:10.0-[a-z]+-aot$", File["build"].From);
        Assert.Equal("true", (string?)XDocument.Load(RepoPaths.Combine(ImageTargets.Project[ImageTargets.Adapter])).Descendants("PublishAot").Single());
    }

    /// <summary>A project and every project it references, transitively, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(RepoPaths.Combine(next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepoPaths.Root, folder, (string)reference.Attribute("Include")!));
                pending.Push(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
