using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// One build of the adapter the harness measures: the Native AOT executable the image ships, or
/// the JIT build of the same commit (the harness's own output, run with `dotnet`).
/// </summary>
internal sealed record AdapterBuild(string Key, string Label, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The build the image ships, which the targets are held to.</summary>
    public bool Shipped => Key == "aot";

    public static AdapterBuild Jit() =>
        new("jit", "JIT adapter", "dotnet", [Path.Combine(AppContext.BaseDirectory, "RocketMqSource.Adapter.dll")]);

    public static AdapterBuild Aot(string executable) => new("aot", "AOT adapter", Path.GetFullPath(executable), []);

    /// <summary>Publishes the adapter as the Dockerfile does (PublishAot, Release, this machine's RID) into <paramref name="folder"/>.</summary>
    public static async Task<AdapterBuild> PublishAotAsync(string repoRoot, string folder, TextWriter log)
    {
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var project = Path.Combine(repoRoot, "src", "RocketMqSource.Adapter", "RocketMqSource.Adapter.csproj");
        log.WriteLine($"aot: dotnet publish {project} -c Release -r {rid} -o {folder}");
        var info = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", rid, "-o", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start");
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"AOT publish failed ({publish.ExitCode})\n{await output}\n{await errors}");
        }

        return Aot(Path.Combine(folder, "RocketMqSource.Adapter"));
    }
}
