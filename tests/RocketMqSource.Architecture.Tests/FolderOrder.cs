using RocketMqSource.Testing;

namespace RocketMqSource.Architecture.Tests;

/// <summary>
/// The folder order of every project as docs/architecture.md states it, once: the rows of the
/// table under "## The folder rule", <c>| Project | folder, folder, … |</c>, bottom first.
/// </summary>
internal static class FolderOrder
{
    public const string Root = "(root)";

    private const string Section = "## The folder rule";

    public static string DocumentPath => RepoPaths.Combine("docs", "architecture.md");

    /// <summary>Project name to its folders, bottom first (a folder uses only folders before it).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read() => Parse(File.ReadAllLines(DocumentPath));

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(IEnumerable<string> lines)
    {
        var order = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Trim() == Section;
                continue;
            }

            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (inSection && cells.Length == 4 && cells[1].Trim('`') is var project && project.StartsWith("RocketMqSource.", StringComparison.Ordinal))
            {
                order.Add(project, [.. cells[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(folder => folder.Trim('`'))]);
            }
        }

        return order;
    }
}
