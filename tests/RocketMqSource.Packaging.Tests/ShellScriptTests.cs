using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// Every shell script passes Debian's shellcheck (.ci/run installs it): hack/*.sh, .ci/run, and
/// the `run:` steps of the workflows (bash on GitHub's runners), with each `${{ … }}` expression
/// standing in as a plain word.
/// </summary>
public sealed partial class ShellScriptTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-shellcheck-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static IReadOnlyList<string> Scripts() =>
        [.. Directory.GetFiles(RepoPaths.Combine("hack"), "*.sh", SearchOption.AllDirectories).Order(StringComparer.Ordinal), RepoPaths.Combine(".ci", "run")];

    private static Task<ProcessResult> ShellcheckAsync(IEnumerable<string> files) =>
        ProcessRunner.RunAsync("shellcheck", ["--shell=bash", "--format=gcc", .. files], RepoPaths.Root, timeout: TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Every_script_passes_shellcheck()
    {
        var scripts = Scripts();

        var result = await ShellcheckAsync(scripts);

        Assert.Contains(RepoPaths.Combine("hack", "e2e-kind.sh"), scripts);
        Assert.Contains(RepoPaths.Combine("hack", "release.sh"), scripts);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Every_workflow_run_step_passes_shellcheck()
    {
        var steps = new List<string>();
        foreach (var workflow in WorkflowTests.Workflows())
        {
            var document = (JsonObject)YamlJson.ParseDocuments(File.ReadAllText(workflow)).Single()!;
            foreach (var (job, body) in document["jobs"]!.AsObject())
            {
                foreach (var (step, index) in body!["steps"]!.AsArray().Select((s, i) => (s, i)))
                {
                    if ((string?)step!["run"] is { } run)
                    {
                        var file = Path.Combine(_scratch, $"{Path.GetFileNameWithoutExtension(workflow)}-{job}-{index}.sh");
                        File.WriteAllText(file, "#!/usr/bin/env bash\nset -eo pipefail\n" + Expression().Replace(run, "gha_expression") + "\n");
                        steps.Add(file);
                    }
                }
            }
        }

        var result = await ShellcheckAsync(steps);

        Assert.True(steps.Count >= 8, $"{steps.Count} run steps found");
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Shellcheck_refuses_an_unquoted_expansion()
    {
        var script = Path.Combine(_scratch, "bad.sh");
        File.WriteAllText(script, "#!/usr/bin/env bash\nrm -rf $1/cache\n");

        var result = await ShellcheckAsync([script]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SC2086", result.StandardOutput, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$\{\{[^}]*\}\}")]
    private static partial Regex Expression();
}
