using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// .github/workflows: each validates against GitHub's workflow schema (the npm peer
/// @action-validator/cli), every action is pinned to a commit, and the CI workflow runs README's
/// test command exactly.
/// </summary>
public sealed partial class WorkflowTests : IDisposable
{
    private const string Validator = "node_modules/@action-validator/cli/cli.mjs";
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-workflows-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    internal static IReadOnlyList<string> Workflows() =>
        Directory.GetFiles(RepoPaths.Combine(".github", "workflows"), "*.yml").Order(StringComparer.Ordinal).ToList();

    private static JsonObject Load(string name) =>
        (JsonObject)YamlJson.ParseDocuments(File.ReadAllText(RepoPaths.Combine(".github", "workflows", name))).Single()!;

    [Fact]
    public async Task Every_workflow_validates_against_the_workflow_schema()
    {
        var workflows = Workflows();

        // The validator takes one file per run.
        var results = await Task.WhenAll(workflows.Select(w => NodePeer.RunAsync(Validator, [w])));

        Assert.Equal(["ci.yml", "e2e-kind.yml", "release.yml"], workflows.Select(Path.GetFileName));
        Assert.All(results.Zip(workflows), r => Assert.True(r.First.ExitCode == 0, $"{r.Second}: {r.First.StandardOutput}{r.First.StandardError}"));
    }

    [Fact]
    public async Task The_validator_refuses_a_workflow_the_schema_does_not_allow()
    {
        var broken = Path.Combine(_scratch, "broken.yml");
        File.WriteAllText(broken, File.ReadAllText(Workflows()[0]).Replace("runs-on:", "runs_on:", StringComparison.Ordinal));

        var result = await NodePeer.RunAsync(Validator, [broken]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("runs_on", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_with_the_tag_it_is_named()
    {
        var uses = Workflows().SelectMany(w => File.ReadAllLines(w).Where(l => l.TrimStart().StartsWith("- uses:", StringComparison.Ordinal) || l.TrimStart().StartsWith("uses:", StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, line => Assert.Matches(PinnedAction(), line));
    }

    [Fact]
    public void The_ci_workflow_runs_README_s_test_command_on_every_push_and_pull_request()
    {
        var ci = Load("ci.yml");
        var runs = ci["jobs"]!.AsObject().SelectMany(j => j.Value!["steps"]!.AsArray()).Select(s => (string?)s!["run"]).ToList();

        Assert.True(ci["on"]!.AsObject().ContainsKey("push") && ci["on"]!.AsObject().ContainsKey("pull_request"));
        Assert.Contains(ReadmeTestCommand(), runs);
        Assert.Contains(ReadmeTestCommand(), File.ReadAllLines(RepoPaths.Combine(".ci", "run")).Select(l => l.Split(" 2>&1")[0]));
    }

    [Fact]
    public void The_release_builds_amd64_and_arm64_and_attaches_the_manifest_pinned_by_digest_with_sboms()
    {
        var jobs = Load("release.yml")["jobs"]!.AsObject();
        var platforms = jobs["images"]!["strategy"]!["matrix"]!["include"]!.AsArray().Select(e => (string?)e!["platform"]);
        var steps = jobs["release"]!["steps"]!.AsArray().ToList();
        var runs = string.Join('\n', steps.Select(s => (string?)s!["run"]));

        Assert.Equal(["linux/amd64", "linux/arm64"], platforms);
        Assert.Contains("hack/release.sh --platform", string.Join('\n', jobs["images"]!["steps"]!.AsArray().Select(s => (string?)s!["run"])), StringComparison.Ordinal);
        Assert.Contains("hack/release.sh --resolve-only --digests", runs, StringComparison.Ordinal);
        Assert.Equal(2, steps.Count(s => ((string?)s!["uses"])?.StartsWith("anchore/sbom-action@", StringComparison.Ordinal) == true));
        Assert.Matches(@"gh release create .* release/rocketmqsource\.yaml release/\*\.spdx\.json", runs);
    }

    /// <summary>The second command README's set-up gives (the first runs the local demo).</summary>
    private static string ReadmeTestCommand()
    {
        var blocks = ShellBlock().Matches(File.ReadAllText(RepoPaths.Combine("README.md"))).Select(m => m.Groups["body"].Value.Trim()).ToList();
        return blocks.First(b => b.StartsWith("dotnet test", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s*(- )?uses: [\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"```sh\n(?<body>[^`]*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
