using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// hack/e2e-kind.sh as far as a machine without Docker, kind or a network can run it: its help
/// names the prerequisites, every download is pinned in hack/e2e/downloads.sha256, and a download
/// whose bytes differ from the pinned sum, or a line nobody pinned, stops it before a cluster
/// exists (a `curl` stand-in serves the bytes; docker, kind and kubectl stand-ins record calls).
/// </summary>
public sealed partial class E2EKindScriptTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-e2e-kind-").FullName;

    public E2EKindScriptTests()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        // curl -fsSL --retry 3 -o FILE URL: writes "manifest from URL" to FILE.
        StandIn.Write(Path.Combine(bin, "curl"), """
            #!/usr/bin/env bash
            while (($# > 1)); do [[ "$1" == -o ]] && out="$2"; shift; done
            printf 'manifest from %s\n' "$1" > "$out"
            """);
        foreach (var tool in new[] { "docker", "kubectl", "dotnet" })
        {
            StandIn.Write(Path.Combine(bin, tool), $"#!/usr/bin/env bash\necho \"{tool} $*\" >> \"$CALLS\"\n");
        }

        StandIn.Write(Path.Combine(bin, "kind"), """
            #!/usr/bin/env bash
            echo "kind $*" >> "$CALLS"
            if [[ "$1" == version ]]; then echo "kind v0.32.0 go1.25.0 linux/amd64"; fi
            """);
    }

    private string Calls => Path.Combine(_scratch, "calls.txt");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Sum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private Task<ProcessResult> RunAsync(string? pins, params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [RepoPaths.Combine("hack", "e2e-kind.sh"), .. arguments], RepoPaths.Root, new Dictionary<string, string?>
        {
            ["PATH"] = $"{Path.Combine(_scratch, "bin")}:{Environment.GetEnvironmentVariable("PATH")}",
            ["CALLS"] = Calls,
            ["E2E_PINS"] = pins,
            ["TMPDIR"] = _scratch,
        }, timeout: TimeSpan.FromSeconds(60));

    private string Pins(string text)
    {
        var path = Path.Combine(_scratch, "downloads.sha256");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Help_names_every_prerequisite_and_the_pins()
    {
        var result = await RunAsync(null, "--help");

        result.EnsureSuccess();
        foreach (var prerequisite in new[] { "docker", "kind", "kubectl", "dotnet", "node, npm", "curl, sha256sum", "v0.32.0", "hack/e2e/downloads.sha256" })
        {
            Assert.Contains(prerequisite, result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_download_is_a_versioned_https_url_with_a_sha256_or_marked_unpinned()
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("hack", "e2e", "downloads.sha256")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Equal(8, lines.Count);
        Assert.All(lines, l => Assert.Matches(PinLine(), l));
        Assert.DoesNotContain(lines, l => l.Contains("latest", StringComparison.OrdinalIgnoreCase));
        var script = File.ReadAllText(RepoPaths.Combine("hack", "e2e-kind.sh"));
        Assert.DoesNotMatch(@"https://\S+\.yaml", script.Replace("https://dl.k8s.io", string.Empty, StringComparison.Ordinal));
        foreach (var file in lines.Select(l => l.Split("  ")[1]))
        {
            Assert.Contains($"$manifests/{file}", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_download_that_differs_from_its_pinned_sum_stops_the_run_before_any_cluster()
    {
        const string good = "https://example.test/good.yaml";
        const string bad = "https://example.test/bad.yaml";
        var pins = Pins($"{Sum($"manifest from {good}\n")}  good.yaml  {good}\n{Sum("something else\n")}  bad.yaml  {bad}\n");

        var result = await RunAsync(pins);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"bad.yaml from {bad} has sha256 {Sum($"manifest from {bad}\n")}, not the pinned", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("good.yaml", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Calls), c => c.StartsWith("kind create", StringComparison.Ordinal) || c.StartsWith("kubectl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unpinned_download_stops_the_run_and_says_how_to_pin_it()
    {
        var pins = Pins("UNPINNED  keda.yaml  https://example.test/keda.yaml\n");

        var result = await RunAsync(pins);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("keda.yaml has no pinned sha256", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--pin", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Calls), c => c.StartsWith("kind create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pin_prints_each_download_s_sum_in_the_file_s_format()
    {
        const string url = "https://example.test/keda.yaml";
        var pins = Pins($"UNPINNED  keda.yaml  {url}\n");

        var result = await RunAsync(pins, "--pin");

        result.EnsureSuccess();
        Assert.Equal($"{Sum($"manifest from {url}\n")}  keda.yaml  {url}", result.StandardOutput.Trim());
    }

    [GeneratedRegex(@"^([0-9a-f]{64}|UNPINNED)  [A-Za-z0-9._-]+\.yaml  https://github\.com/[\w.-]+/[\w.-]+/releases/download/[\w.-]*v\d+\.\d+\.\d+/[\w.-]+\.yaml$")]
    private static partial Regex PinLine();
}
