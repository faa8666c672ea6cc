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
