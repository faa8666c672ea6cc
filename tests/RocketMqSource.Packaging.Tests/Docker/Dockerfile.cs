using System.Text.Json;
using System.Text.RegularExpressions;

namespace RocketMqSource.Packaging.Tests.Docker;

/// <summary>One instruction: its keyword (upper case), its text after the keyword, and its line.</summary>
internal sealed record Instruction(string Keyword, string Arguments, int Line)
{
    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>A build stage: what it starts FROM (ARGs expanded), its name, and its instructions.</summary>
internal sealed record Stage(string Name, string From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The last USER of the stage (the image's user), or null when it sets none.</summary>
    public string? User => Instructions.LastOrDefault(i => i.Keyword == "USER")?.Arguments;

    /// <summary>The ENTRYPOINT in exec (JSON array) form; throws for the shell form.</summary>
    public IReadOnlyList<string>? Entrypoint => Instructions.LastOrDefault(i => i.Keyword == "ENTRYPOINT") is { } entrypoint
        ? JsonSerializer.Deserialize<string[]>(entrypoint.Arguments) ?? throw new InvalidDataException($"{entrypoint} is not an exec-form array")
        : null;

    public IEnumerable<Instruction> Where(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read the way BuildKit reads the subset we use: continuation lines, comments,
/// global ARGs (expanded in FROM), stage ARGs with defaults, and named stages.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<Stage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    /// <summary>ARGs declared before the first FROM, with their defaults.</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage this[string name] => Stages.SingleOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"the Dockerfile has no stage '{name}'");

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var globalArgs = new Dictionary<string, string>();
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        string? name = null, from = null;
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                Close();
                var match = FromPattern().Match(instruction.Arguments);
                if (!match.Success)
                {
                    throw new InvalidDataException($"unexpected {instruction}");
                }

                from = Expand(match.Groups["image"].Value, globalArgs);
                name = match.Groups["name"].Success ? match.Groups["name"].Value : $"stage-{stages.Count}";
                current = [];
            }
            else if (current is null)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw new InvalidDataException($"only ARG may come before the first FROM: {instruction}");
                }

                var (key, value) = SplitArg(instruction.Arguments);
                globalArgs[key] = value ?? string.Empty;
            }
            else
            {
                current.Add(instruction);
            }
        }

        Close();
        return new Dockerfile(globalArgs, stages);

        void Close()
        {
            if (current is not null)
            {
                stages.Add(new Stage(name!, from!, current));
            }
        }
    }

    /// <summary>The ARG values visible in a stage: its own defaults, or the global value for a bare redeclaration.</summary>
    public IReadOnlyDictionary<string, string> ArgsOf(Stage stage)
    {
        var args = new Dictionary<string, string>();
        foreach (var arg in stage.Where("ARG"))
        {
            var (key, value) = SplitArg(arg.Arguments);
            args[key] = value ?? GlobalArgs.GetValueOrDefault(key, string.Empty);
        }

        return args;
    }

    /// <summary>Replaces $NAME and ${NAME} with their values (unknown names expand to nothing, as in Docker).</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> args) =>
        VariablePattern().Replace(text, m => args.GetValueOrDefault(m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value, string.Empty));

    private static (string Key, string? Value) SplitArg(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (text.Trim(), null) : (text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    private static IEnumerable<Instruction> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1].TrimEnd() + " " + lines[++i].Trim();
            }

            var space = line.IndexOfAny([' ', '\t']);
            yield return space < 0
                ? new Instruction(line.ToUpperInvariant(), string.Empty, start)
                : new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim(), start);
        }
    }

    [GeneratedRegex(@"^(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<name>[A-Za-z0-9_.-]+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\$(\{(?<a>[A-Za-z_][A-Za-z0-9_]*)\}|(?<b>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();
}
