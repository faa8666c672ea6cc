using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Testing;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// The controller–adapter contract (RocketMqSource.Contract AdapterVariables) holds on both sides:
/// every variable in it is set by the controller for some source and read by the adapter's own
/// parser, nothing outside it is set or read, and the real receive adapter (run as a process, as
/// in a pod) accepts the environments the controller builds. A broken environment makes it exit
/// with its configuration-error code, which shows the process check can fail.
/// </summary>
public sealed class AdapterContractTests
{
    private const int ConfigurationError = 2;
    private const string PodName = "orders-adapter-5d8f7c9b4-x2x7q";
    private static readonly string Pem = SelfSignedPem();

    /// <summary>Sources from the smallest the CRD admits to one that sets every optional field, OIDC identity included.</summary>
    private static readonly string[] CaseNames = ["minimal", "everything"];

    public static TheoryData<string> Cases => new(CaseNames);

    private static JsonObject Deployment(string name) => name switch
    {
        "minimal" => ToJson(AdapterDeploymentBuilder.Build(Source(), Sink().Address!, null, Settings, null)),
        _ => ToJson(AdapterDeploymentBuilder.Build(
            Source(s =>
            {
                s.Namespace = "MQ_INST_1";
                s.Filter = new RocketMQFilter { Type = "SQL92", Expression = "region = 'eu'" };
                s.Credentials = new RocketMQCredentials
                {
                    AccessKey = Secret("accessKey"),
                    SecretKey = Secret("secretKey"),
                    SecurityToken = Secret("securityToken"),
                };
                s.Tls = true;
                s.CaCert = Secret("ca.crt");
                s.InvisibleDuration = "1m30s";
                s.AwaitDuration = "10s";
                s.Ordering = "unordered";
                s.Delivery = new DeliverySpec { Retry = 5, BackoffPolicy = "linear", BackoffDelay = "PT0.5S", Timeout = "PT2.1S" };
                s.CeOverrides = new CloudEventOverrides { Extensions = new Dictionary<string, string> { ["team"] = "food", ["averyveryverylongextension"] = "x" } };
            }),
            new ResolvedAddress(BrokerUrl, Pem, "broker-audience"),
            new ResolvedAddress(new Uri("https://dls.food.svc.cluster.local/"), Pem, "dls-audience"),
            Settings with
            {
                LoggingConfig = AdapterEnvironment.LoggingConfig("{\"level\":\"info\"}", "debug"),
                ObservabilityConfig = new ObservabilitySettings(
                    "grpc", "otel-collector.observability:4317", TimeSpan.FromSeconds(30), "http/protobuf", "otel-collector.observability:4318/v1/traces", 0.5).ToKnativeJson(),
            },
            null,
            new AdapterIdentity("oidc-rocketmqsource-orders"))),
    };

    [Fact]
    public void Every_contract_variable_is_set_by_the_controller_for_some_source_and_nothing_else_is()
    {
        var set = CaseNames.SelectMany(c => Container(Deployment(c))["env"]!.AsArray().Select(v => v!["name"]!.GetValue<string>())).ToHashSet();

        Assert.Equal(AdapterVariables.SetByController.Order(), set.Order());
        Assert.Empty(AdapterVariables.SetByController.Intersect(AdapterVariables.AdapterOnly));
    }

    [Fact]
    public void Every_contract_variable_is_read_by_the_adapter_and_it_reads_nothing_else()
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in CaseNames)
        {
            var env = new RecordingEnvironment(Kubelet(Deployment(name)));
            AdapterOptionsParser.Parse(env);
            read.UnionWith(env.Read);
        }

        // TMPDIR is the .NET runtime's (Path.GetTempPath), not the parser's.
        Assert.Empty(AdapterVariables.SetByController.Except([AdapterVariables.TempDirectory]).Except(read));
        Assert.Empty(read.Except(AdapterVariables.SetByController).Except(AdapterVariables.AdapterOnly));
    }

    [Fact]
    public void The_pod_name_comes_from_the_downward_API()
    {
        var podName = Container(Deployment("minimal"))["env"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == AdapterVariables.PodName)!;

        Assert.Equal("metadata.name", podName["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_real_adapter_accepts_the_environment_the_controller_builds(string name)
    {
        var run = await RunAdapterAsync(WithLoopbackPorts(Kubelet(Deployment(name))));

        // The adapter parses its whole environment first; anything after that (answering /health,
        // or an exit for another reason such as an unreachable proxy) means it was accepted.
        Assert.True(run.ExitCode != ConfigurationError, $"the adapter refused the controller's environment: {run.Stderr}");
        Assert.DoesNotContain("invalid configuration", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_environment_is_refused_by_the_adapter()
    {
        var env = WithLoopbackPorts(Kubelet(Deployment("minimal")));
        env[AdapterVariables.InvisibleDuration] = "forever";

        var run = await RunAdapterAsync(env);

        Assert.Equal(ConfigurationError, run.ExitCode);
        Assert.Contains(AdapterVariables.InvisibleDuration, run.Stderr, StringComparison.Ordinal);
    }

    private static SecretValueFromSource Secret(string key) => new() { SecretKeyRef = new SecretKeyReference { Name = "rmq", Key = key } };

    /// <summary>
    /// The container's environment as the kubelet resolves it: Secret references become the Secret's
    /// values (a PEM bundle for the CA key), the downward API gives the pod's name, and the API
    /// server's address is always there.
    /// </summary>
    private static Dictionary<string, string?> Kubelet(JsonObject deployment)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AdapterVariables.KubernetesServiceHost] = "10.96.0.1",
            [AdapterVariables.KubernetesServicePort] = "443",
        };
        foreach (var variable in Container(deployment)["env"]!.AsArray())
        {
            var name = variable!["name"]!.GetValue<string>();
            env[name] = variable["value"]?.GetValue<string>()
                ?? (variable["valueFrom"]!["fieldRef"] is not null ? PodName
                : variable["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>() == "ca.crt" ? Pem
                : $"from-the-secret-{variable["valueFrom"]!["secretKeyRef"]!["key"]}");
        }

        return env;
    }

    private static Dictionary<string, string?> WithLoopbackPorts(Dictionary<string, string?> env)
    {
        env[AdapterVariables.Endpoints] = "127.0.0.1:1";
        env[AdapterVariables.HealthPort] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        env[AdapterVariables.MetricsPort] = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>Runs the adapter until it exits or answers /health (configuration accepted), then stops it.</summary>
    private static async Task<(int? ExitCode, string Stderr)> RunAdapterAsync(Dictionary<string, string?> env)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var contract = AdapterVariables.SetByController.Concat(AdapterVariables.AdapterOnly).Except([AdapterVariables.TempDirectory]);
        foreach (var key in start.Environment.Keys.Where(contract.Contains).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in env.Where(e => e.Key != AdapterVariables.TempDirectory))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri($"http://127.0.0.1:{env[AdapterVariables.HealthPort]}/health");
        try
        {
            var healthy = false;
            await Eventually.WaitAsync(async () => process.HasExited || (healthy = await AnswersAsync(http, health)), "the adapter to answer /health or exit", TimeSpan.FromSeconds(60));
            if (healthy)
            {
                return (null, string.Empty);
            }

            await process.WaitForExitAsync();
            return (process.ExitCode, await stderr);
        }
        finally
        {
            // Whatever the outcome, no adapter outlives the test.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri health)
    {
        try
        {
            using var response = await http.GetAsync(health);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet, or too busy to answer within the probe's timeout on a loaded machine.
            return false;
        }
    }

    private static string SelfSignedPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=sink-ca", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    /// <summary>An environment that records every name the adapter's parser looks up.</summary>
    private sealed class RecordingEnvironment(Dictionary<string, string?> values) : IReadOnlyDictionary<string, string?>
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public int Count => values.Count;

        public IEnumerable<string> Keys => values.Keys;

        public IEnumerable<string?> Values => values.Values;

        public string? this[string key] => Record(key) ? values[key] : values[key];

        public bool ContainsKey(string key) => Record(key) && values.ContainsKey(key);

        public bool TryGetValue(string key, out string? value)
        {
            Record(key);
            return values.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private bool Record(string key)
        {
            Read.Add(key);
            return true;
        }
    }
}
