using System.Text.RegularExpressions;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Manifests;

/// <summary>
/// RocketMQSource samples under Samples/valid and Samples/invalid. An invalid sample states
/// why in a "# Invalid:" comment and lists, in "# expect:" comments, the errors it must
/// produce ("path: message" prefixes).
/// </summary>
internal sealed partial record Sample(string Name, Manifest Manifest, IReadOnlyList<string> Expectations)
{
    public static string Folder(string kind) =>
        RepoPaths.Combine("tests", "RocketMqSource.Controller.Tests", "Samples", kind);

    public static IReadOnlyList<Sample> Load(string kind) =>
        Directory.GetFiles(Folder(kind), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(LoadFile)
            .ToList();

    public static TheoryData<string> Names(string kind) => new(Load(kind).Select(sample => sample.Name));

    private static Sample LoadFile(string path)
    {
        var manifest = Manifest.LoadFile(path).Single();
        var expectations = File.ReadLines(path)
            .Select(line => ExpectLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["text"].Value.Trim())
            .ToList();
        return new Sample(Path.GetFileNameWithoutExtension(path), manifest, expectations);
    }

    [GeneratedRegex("^# expect: (?<text>.+)$")]
    private static partial Regex ExpectLine();
}
