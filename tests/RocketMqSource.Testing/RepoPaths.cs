namespace RocketMqSource.Testing;

/// <summary>Locates folders of this repository from a running test assembly.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding RocketMqSource.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>tests/interop: the Node peers' package.json, node_modules and scripts.</summary>
    public static string Interop => Path.Combine(Root, "tests", "interop");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RocketMqSource.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RocketMqSource.sln not found above {AppContext.BaseDirectory}");
    }
}
