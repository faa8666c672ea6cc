using System.Reflection;
using ArchUnitNET.Loader;

namespace RocketMqSource.Architecture.Tests;

/// <summary>
/// The folder uses of one built project, read from its assembly with ArchUnitNET (every type
/// reference the compiler kept: base types, members, signatures, calls, attributes, generic
/// arguments). A folder is the namespace segment under the project's root namespace, which the
/// sources keep equal to the folder path (see <see cref="FolderRuleTests"/>). Types outside the
/// root namespace (the compiler's, a global Program) take no part.
/// </summary>
internal static class AssemblyFolders
{
    public static FolderGraph Read(string project)
    {
        var architecture = new ArchLoader().LoadAssemblies(Assembly.Load(new AssemblyName(project))).Build();
        var uses = new List<(string, string, string)>();
        foreach (var type in architecture.Types)
        {
            if (type.Namespace?.FullName is not { } ns || FolderOf(project, ns) is not { } from)
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                if (dependency.Target?.Namespace?.FullName is { } targetNs && FolderOf(project, targetNs) is { } to)
                {
                    uses.Add((from, to, $"{type.FullName} uses {dependency.Target.FullName}"));
                }
            }
        }

        return new FolderGraph(uses);
    }

    /// <summary>The folder of a namespace of the project, or null for one outside it.</summary>
    public static string? FolderOf(string project, string ns) =>
        ns == project ? FolderOrder.Root
        : ns.StartsWith(project + ".", StringComparison.Ordinal) ? ns[(project.Length + 1)..].Split('.')[0]
        : null;
}
