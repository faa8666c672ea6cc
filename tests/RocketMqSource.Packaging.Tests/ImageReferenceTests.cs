using System.Text.RegularExpressions;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// No manifest or document points at a moving image: `:latest` (or no tag, which means latest)
/// pulls on every start and runs whatever was pushed last. Unbuilt images are `ko://` placeholders
/// that no registry serves and the release resolves.
/// </summary>
public sealed partial class ImageReferenceTests
{
    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(RepoPaths.Combine(folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<string> ManifestsAndDocs() =>
        Files("config", "*.yaml")
            .Concat(Files("samples", "*.yaml"))
            .Concat(Files("samples", "*.md"))
            .Concat(Directory.EnumerateFiles(RepoPaths.Root, "*.md"))
            .Concat(Files("docs", "*.md"))
            .Append(RepoPaths.Combine("ko.yaml"))
            .Append(RepoPaths.Combine("Dockerfile"));

    [Fact]
    public void No_manifest_or_document_names_a_latest_image()
    {
        var found = (from file in ManifestsAndDocs()
                     from line in File.ReadLines(file).Select((text, i) => (text, number: i + 1))
                     where LatestImage().IsMatch(line.text)
                     select $"{Path.GetRelativePath(RepoPaths.Root, file)}:{line.number}: {line.text.Trim()}").ToList();

        Assert.True(found.Count == 0, "images named :latest:\n" + string.Join('\n', found));
    }

    [Fact]
    public void Every_image_in_config_and_samples_has_a_tag_a_digest_or_is_a_ko_placeholder()
    {
        var found = (from file in Files("config", "*.yaml").Concat(Files("samples", "*.yaml"))
                     from line in File.ReadLines(file)
                     let match = ImageValue().Match(line)
                     where match.Success
                     let image = match.Groups["image"].Value.Trim('"', '\'')
                     where !image.StartsWith("ko://", StringComparison.Ordinal) && !image.Contains('@') && !TaggedImage().IsMatch(image)
                     select $"{Path.GetRelativePath(RepoPaths.Root, file)}: {image}").ToList();

        Assert.True(found.Count == 0, "images without a tag (that is, latest):\n" + string.Join('\n', found));
    }

    [Fact]
    public void The_check_recognises_latest_and_untagged_images()
    {
        Assert.Matches(LatestImage(), "          image: rocketmqsource-controller:latest");
        Assert.Matches(LatestImage(), "`registry.example.com/rocketmq/rocketmqsource-adapter:latest`");
        Assert.DoesNotMatch(LatestImage(), "the script stops if a `:latest` image is left");
        Assert.DoesNotMatch(TaggedImage(), "apache/rocketmq");
        Assert.Matches(TaggedImage(), "registry.example.com:5000/food-delivery/order-service:0.1.0");
    }

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9._/-]*(:[0-9]+/[A-Za-z0-9._/-]+)?:latest\b")]
    private static partial Regex LatestImage();

    [GeneratedRegex(@"^\s*(-\s+)?image:\s+(?<image>\S+)\s*(#.*)?$")]
    private static partial Regex ImageValue();

    [GeneratedRegex(@":[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex TaggedImage();
}
