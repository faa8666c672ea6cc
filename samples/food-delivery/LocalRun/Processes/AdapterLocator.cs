namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// Finds the built receive adapter. The local run references the adapter project, so the build
/// puts RocketMqSource.Adapter.dll (with its runtimeconfig and deps files) next to the local
/// run's own; the adapter's own bin folder is the fallback.
/// </summary>
internal static class AdapterLocator
{
    public const string DllName = "RocketMqSource.Adapter.dll";

    public static string? Find(string baseDirectory)
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

    /// <summary>Next to this program, then src/RocketMqSource.Adapter/bin/{Debug,Release}/net10.0 under the repository root.</summary>
    public static IEnumerable<string> Candidates(string baseDirectory)
    {
        yield return Path.Combine(baseDirectory, DllName);
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "RocketMqSource.Adapter");
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
