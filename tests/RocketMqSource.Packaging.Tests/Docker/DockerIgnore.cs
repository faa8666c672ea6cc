using System.Text;
using System.Text.RegularExpressions;

namespace RocketMqSource.Packaging.Tests.Docker;

/// <summary>
/// .dockerignore as Docker applies it: patterns in order, the last one that matches a path or
/// one of its parent folders decides, `!` re-includes; `*` and `?` stay inside one path
/// segment, `**` spans any number of segments.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Include)> _rules;

    private DockerIgnore(IReadOnlyList<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string path) => Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty);

    public static DockerIgnore Parse(string text) => new(text
        .Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.StartsWith('!') ? (ToRegex(line[1..]), true) : (ToRegex(line), false))
        .ToList());

    /// <summary>Whether a context-relative path (forward slashes) is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var candidates = Parents(relativePath.Trim('/')).ToList();
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (candidates.Any(pattern.IsMatch))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    /// <summary>"a/b/c" gives "a", "a/b", "a/b/c": a pattern matching a folder covers what is inside.</summary>
    private static IEnumerable<string> Parents(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }

        yield return path;
    }

    private static Regex ToRegex(string pattern)
    {
        var clean = pattern.Trim().Trim('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < clean.Length; i++)
        {
            if (clean[i] == '*' && i + 1 < clean.Length && clean[i + 1] == '*')
            {
                var slashFollows = i + 2 < clean.Length && clean[i + 2] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else
            {
                regex.Append(clean[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
