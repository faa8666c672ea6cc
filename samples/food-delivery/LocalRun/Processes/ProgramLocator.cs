namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// Finds a built program the local run starts as a process. The local run references the
/// adapter and order-service projects, so the build puts their dll (with its runtimeconfig and
/// deps files) next to the local run's own; the project's own bin folder is the fallback.
/// </summary>
internal sealed record ProgramLocator(string DllName, string ProjectFolder)
{
    /// <summary>The receive adapter (src/RocketMqSource.Adapter).</summary>
    public static ProgramLocator Adapter { get; } = new("RocketMqSource.Adapter.dll", Path.Combine("src", "RocketMqSource.Adapter"));

    /// <summary>The food-delivery order service (samples/food-delivery/OrderService).</summary>
    public static ProgramLocator OrderService { get; } = new("FoodDelivery.OrderService.dll", Path.Combine("samples", "food-delivery", "OrderService"));

    public string? Find(string baseDirectory)
    {
        foreach (var candidate in Candidates(baseDirectory))
        {
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The Native AOT executable of the program when it is already published where
    /// <c>dotnet publish -c Release -r RID</c> puts it (bin/Release/net10.0/RID/publish) and is not
    /// older than <paramref name="dll"/>: a build after a source change rewrites the dll, so an older
    /// executable would run stale code. Null otherwise (the dll runs).
    /// </summary>
    public string? PublishedNative(string baseDirectory, string dll)
    {
        var rid = $"linux-{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64")}";
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, ProjectFolder);
            if (Directory.Exists(project))
            {
                var native = Path.Combine(project, "bin", "Release", "net10.0", rid, "publish", Path.GetFileNameWithoutExtension(DllName));
                return OperatingSystem.IsLinux() && File.Exists(native) && File.GetLastWriteTimeUtc(native) >= File.GetLastWriteTimeUtc(dll) ? native : null;
            }
        }

        return null;
    }

    /// <summary>Next to this program, then the project's bin/{Debug,Release}/net10.0 under the repository root.</summary>
    public IEnumerable<string> Candidates(string baseDirectory)
    {
        yield return Path.Combine(baseDirectory, DllName);
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, ProjectFolder);
            if (Directory.Exists(project))
            {
                foreach (var configuration in new[] { "Debug", "Release" })
                {
                    yield return Path.Combine(project, "bin", configuration, "net10.0", DllName);
                }

                yield break;
            }
        }
    }
}
