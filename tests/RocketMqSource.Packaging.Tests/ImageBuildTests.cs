using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RocketMqSource.Packaging.Tests.Support;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// The images' file systems as the Dockerfile builds them (emulated without a Docker engine:
/// the build stage's restore and publish run here with the Dockerfile's own arguments).
/// </summary>
[Collection(ImageBuildCollection.Name)]
public sealed class ImageBuildTests(ImageBuildFixture images)
{
    [Theory]
    [InlineData(ImageTargets.Controller)]
    [InlineData(ImageTargets.Adapter)]
    public void The_entrypoint_is_an_executable_file_of_the_image(string target)
    {
        var entrypoint = images.Image(target).Resolve(images.Dockerfile[target].Entrypoint![0]);

        Assert.True(File.Exists(entrypoint), $"{target}: {entrypoint} is not in the image");
        Assert.True(!OperatingSystem.IsWindows() && File.GetUnixFileMode(entrypoint).HasFlag(UnixFileMode.OtherExecute), $"{target}: the entrypoint is not executable by the non-root user");
    }

    [Fact]
    public void The_controller_image_runs_on_the_ASP_NET_Core_shared_framework_its_base_image_carries()
    {
        var app = images.Image(ImageTargets.Controller).Resolve("/app");
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "RocketMqSource.Controller.runtimeconfig.json")))!;
        var frameworks = runtimeConfig["runtimeOptions"]!["frameworks"]!.AsArray().Select(f => (string?)f!["name"]).ToList();

        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        Assert.True(File.Exists(Path.Combine(app, "RocketMqSource.Controller.dll")));
        // Framework-dependent: the runtime comes from the base image, not from the app layer.
        Assert.False(File.Exists(Path.Combine(app, "System.Private.CoreLib.dll")));
        Assert.False(File.Exists(Path.Combine(app, "libcoreclr.so")));
        AssertNoBuildTree(app);
    }

    [Fact]
    public void The_adapter_image_is_one_native_executable_without_a_runtime_or_symbols()
    {
        var app = images.Image(ImageTargets.Adapter).Resolve("/app");
        var executable = Path.Combine(app, "RocketMqSource.Adapter");

        // ELF, not an apphost beside a managed dll: runtime-deps carries no .NET runtime to run IL on.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(executable)[..4]);
        Assert.Equal(["RocketMqSource.Adapter"], Directory.EnumerateFiles(app).Select(f => Path.GetFileName(f)).ToArray());
        AssertNoBuildTree(app);
    }

    private static void AssertNoBuildTree(string app)
    {
        // Nothing of the build tree leaks into the image.
        Assert.Empty(Directory.EnumerateFiles(app, "*.csproj", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(app, "obj")));
    }

    [Fact]
    public void The_controller_entrypoint_starts_the_controller()
    {
        var result = RunEntrypoint(ImageTargets.Controller);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("rocketmqsource-controller: ADAPTER_IMAGE is required", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_adapter_entrypoint_starts_the_receive_adapter()
    {
        var result = RunEntrypoint(ImageTargets.Adapter);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("invalid configuration:", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the image's entrypoint with an empty environment: the controller finds the runtime as
    /// its base image provides it; the native adapter gets no DOTNET_ROOT, as runtime-deps has none.
    /// </summary>
    private ProcessResult RunEntrypoint(string target)
    {
        var fs = images.Image(target);
        var entrypoint = fs.Resolve(images.Dockerfile[target].Entrypoint![0]);
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var environment = target == ImageTargets.Controller
            ? new Dictionary<string, string?> { ["DOTNET_ROOT"] = dotnetRoot, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }
            : new Dictionary<string, string?>();
        return ProcessRunner.RunAsync(
            entrypoint,
            [],
            fs.Resolve("/app"),
            environment,
            clearEnvironment: true,
            timeout: TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
    }
}
