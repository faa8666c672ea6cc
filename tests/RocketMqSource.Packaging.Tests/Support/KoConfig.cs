using System.Text.Json.Nodes;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests.Support;

/// <summary>One ko.yaml build: the Dockerfile stage, the project folder and the image name.</summary>
internal sealed record KoBuild(string Id, string Dir, string Main);

/// <summary>ko.yaml, read with a YAML library (the release script reads it with awk; tests compare the two).</summary>
internal sealed record KoConfig(string DefaultBaseImage, IReadOnlyDictionary<string, string> BaseImageOverrides, IReadOnlyList<KoBuild> Builds)
{
    public static KoConfig Load() => Parse(File.ReadAllText(RepoPaths.Combine("ko.yaml")));

    public static KoConfig Parse(string yaml)
    {
        var root = (JsonObject)YamlJson.ParseDocuments(yaml).Single();
        var overrides = root["baseImageOverrides"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];
        var builds = root["builds"]!.AsArray()
            .Select(b => new KoBuild((string)b!["id"]!, (string)b["dir"]!, (string)b["main"]!))
            .ToList();
        return new KoConfig((string)root["defaultBaseImage"]!, overrides, builds);
    }

    public string BaseImageOf(string image) => BaseImageOverrides.GetValueOrDefault(image, DefaultBaseImage);
}
