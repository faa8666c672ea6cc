using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Manifests;

/// <summary>One YAML document of a file: its id ("file#index") and its content as JSON.</summary>
public sealed record Manifest(string Id, string FilePath, JsonObject Document)
{
    public string ApiVersion => (string?)Document["apiVersion"] ?? string.Empty;

    public string Kind => (string?)Document["kind"] ?? string.Empty;

    public string Name => (string?)Document["metadata"]?["name"] ?? string.Empty;

    public override string ToString() => $"{Id} ({Kind} {Name})";

    /// <summary>Every document of config/, files in the lexical order kubectl applies them.</summary>
    public static IReadOnlyList<Manifest> LoadConfig() => LoadDirectory(RepoPaths.Combine("config"));

    public static IReadOnlyList<Manifest> LoadDirectory(string directory) =>
        Directory.GetFiles(directory)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(LoadFile)
            .ToList();

    public static IReadOnlyList<Manifest> LoadFile(string path)
    {
        var documents = YamlJson.ParseDocuments(File.ReadAllText(path));
        return documents
            .Select((document, index) => new Manifest(
                $"{Path.GetFileName(path)}#{index}",
                path,
                document as JsonObject ?? throw new InvalidDataException($"{path} document {index} is not a mapping")))
            .ToList();
    }

    public static Manifest Crd() =>
        LoadConfig().Single(m => m.Kind == "CustomResourceDefinition" && m.Name == "rocketmqsources.sources.knative.dev");
}
