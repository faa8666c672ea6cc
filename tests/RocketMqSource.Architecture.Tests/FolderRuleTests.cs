using System.Text.RegularExpressions;
using RocketMqSource.Testing;

namespace RocketMqSource.Architecture.Tests;

/// <summary>
/// STYLE's folder rule over the built projects: each project's folders use only folders below
/// them in docs/architecture.md's order, and no folders use one another in a circle.
/// </summary>
public sealed partial class FolderRuleTests
{
    public static TheoryData<string> Projects => [.. ProjectNames()];

    [Fact]
    public void Every_project_under_src_has_a_stated_folder_order()
    {
        Assert.Equal(ProjectNames(), FolderOrder.Read().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_use_only_folders_below_them(string project)
    {
        var order = FolderOrder.Read()[project];

        var against = AssemblyFolders.Read(project).AgainstOrder(order);

        Assert.True(against.Count == 0,
            $"{project}: folders bottom first are {string.Join(", ", order)} ({FolderOrder.DocumentPath}); these uses go against it:\n"
            + string.Join('\n', against));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_do_not_use_one_another_in_a_circle(string project)
    {
        var cycles = AssemblyFolders.Read(project).Cycles();

        Assert.True(cycles.Count == 0, $"{project}: folders in a circle: {string.Join("; ", cycles.Select(cycle => string.Join(" <-> ", cycle)))}");
    }

    /// <summary>The assembly's namespaces stand for the folders only while every file's namespace is its folder path.</summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_file_s_namespace_is_its_folder(string project)
    {
        var root = RepoPaths.Combine("src", project);
        var wrong = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(root, file))
            .Select(file => (File: Path.GetRelativePath(root, file), Declared: DeclaredNamespace(File.ReadAllText(file))))
            .Where(entry => entry.Declared is not null && entry.Declared != Expected(project, entry.File))
            .Select(entry => $"{entry.File}: namespace {entry.Declared}, folder says {Expected(project, entry.File)}")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private static List<string> ProjectNames() =>
        [.. Directory.EnumerateFiles(RepoPaths.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal)];

    private static bool IsBuildOutput(string root, string file) =>
        Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj";

    private static string Expected(string project, string relativeFile) =>
        Path.GetDirectoryName(relativeFile) is { Length: > 0 } folder ? $"{project}.{folder.Replace(Path.DirectorySeparatorChar, '.')}" : project;

    /// <summary>The file-scoped or block namespace; null for top-level statements (the global namespace).</summary>
    private static string? DeclaredNamespace(string source) =>
        NamespaceLine().Match(source) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
