using System.Reflection;
using System.Xml.Linq;
using RocketMqSource.Packaging.Tests.Support;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// tests/RocketMqSource.E2E without a cluster: run as `dotnet test` runs it (its built assembly),
/// every test must be reported Skipped with the reason when nobody asked for a cluster, and Failed
/// (never passed) when asked without one.
/// </summary>
public sealed class E2ESuiteTests : IDisposable
{
    private const string SkipReason = "needs a cluster: set ROCKETMQSOURCE_E2E=1 to run against the cluster in KUBECONFIG";
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-e2e-suite-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string SuiteAssembly =>
        typeof(E2ESuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "E2EAssembly").Value!;

    /// <summary>The suite's tests, read from its metadata: every method carrying its ClusterFact attribute.</summary>
    private static List<string> DeclaredTests()
    {
        var suite = Assembly.LoadFrom(SuiteAssembly);
        return [.. suite.GetTypes()
            .SelectMany(t => t.GetMethods().Select(m => (Type: t, Method: m)))
            .Where(x => x.Method.CustomAttributes.Any(a => a.AttributeType.Name == "ClusterFactAttribute"))
            .Select(x => $"{x.Type.FullName}.{x.Method.Name}")];
    }

    /// <summary>Runs the built suite with `dotnet test` and returns each test's outcome and message from its TRX.</summary>
    private async Task<List<(string Name, string Outcome, string Message)>> RunSuiteAsync(IReadOnlyDictionary<string, string?> variables)
    {
        var trx = Path.Combine(_scratch, $"{Guid.NewGuid():N}.trx");
        var environment = ProcessRunner.DotnetChildEnvironment().ToDictionary();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("ROCKETMQSOURCE_E2E", StringComparison.Ordinal)))
        {
            environment[name] = null;
        }

        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        await ProcessRunner.RunAsync("dotnet", ["test", SuiteAssembly, "--logger", $"trx;LogFileName={trx}"], RepoPaths.Root, environment, timeout: TimeSpan.FromMinutes(2));
        Assert.True(File.Exists(trx), $"dotnet test wrote no results to {trx}");
        return [.. XDocument.Load(trx).Descendants(Trx + "UnitTestResult").Select(r => (
            (string)r.Attribute("testName")!,
            (string)r.Attribute("outcome")!,
            (string?)r.Descendants(Trx + "Message").FirstOrDefault() ?? string.Empty))];
    }

    [Fact]
    public async Task Without_the_variable_every_test_is_reported_skipped_with_the_reason()
    {
        var declared = DeclaredTests();

        var results = await RunSuiteAsync(new Dictionary<string, string?>());

        Assert.True(declared.Count >= 6, $"the suite declares {declared.Count} cluster tests");
        Assert.Equal(declared.Order(StringComparer.Ordinal), results.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(results, r =>
        {
            Assert.Equal("NotExecuted", r.Outcome);
            Assert.StartsWith(SkipReason, r.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Asked_to_run_without_a_cluster_every_test_fails_and_none_passes_or_skips()
    {
        var results = await RunSuiteAsync(new Dictionary<string, string?>
        {
            ["ROCKETMQSOURCE_E2E"] = "1",
            ["KUBECONFIG"] = Path.Combine(_scratch, "no-such-kubeconfig"),
        });

        Assert.Equal(DeclaredTests().Count, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal("Failed", r.Outcome);
            Assert.Contains("ROCKETMQSOURCE_E2E=1 but ROCKETMQSOURCE_E2E_ORDER_SERVICE_IMAGE", r.Message, StringComparison.Ordinal);
        });
    }
}
