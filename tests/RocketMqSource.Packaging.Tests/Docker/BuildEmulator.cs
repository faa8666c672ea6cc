using RocketMqSource.Packaging.Tests.Support;

namespace RocketMqSource.Packaging.Tests.Docker;

/// <summary>The files of one emulated stage: container paths map into folders on this machine.</summary>
internal sealed class StageFileSystem(string root, StageFileSystem? parent)
{
    public string Root { get; } = root;

    public StageFileSystem? Parent { get; } = parent;

    /// <summary>The stage's last WORKDIR, which a stage built FROM it starts in (as the image config carries it).</summary>
    public string Workdir { get; set; } = parent?.Workdir ?? "/";

    /// <summary>
    /// Where a container path lives: in the parent stage's folder when the parent has its top
    /// folder (a derived stage sees its parent's files), else in this stage's own folder (so
    /// that two stages derived from one parent each get their own /app).
    /// </summary>
    public string Resolve(string containerPath)
    {
        var relative = containerPath.TrimStart('/');
        var top = relative.Split('/')[0];
        for (var fs = Parent; fs is not null; fs = fs.Parent)
        {
            if (top.Length > 0 && Path.Exists(Path.Combine(fs.Root, top)))
            {
                return Path.Combine(fs.Root, relative);
            }
        }

        return Path.Combine(Root, relative);
    }
}

/// <summary>
/// Runs a Dockerfile's stages without a Docker engine, as far as this machine allows: COPY
/// from the build context (honouring .dockerignore) or from another stage, WORKDIR, and RUN
/// for `dotnet` commands, which run with the machine's SDK in place of the SDK image. Base
/// images are not pulled: a stage FROM an image starts empty. Any other RUN fails the build,
/// so nothing the Dockerfile does is silently skipped.
/// </summary>
internal sealed class BuildEmulator(Dockerfile dockerfile, string context, string scratch)
{
    private readonly DockerIgnore _ignore = DockerIgnore.Load(Path.Combine(context, ".dockerignore"));
    private readonly Dictionary<string, Task<StageFileSystem>> _built = [];

    /// <summary>The log of every RUN, for a failure message.</summary>
    public List<string> Log { get; } = [];

    public Task<StageFileSystem> BuildAsync(string stageName)
    {
        lock (_built)
        {
            if (!_built.TryGetValue(stageName, out var build))
            {
                build = BuildStageAsync(dockerfile[stageName]);
                _built[stageName] = build;
            }

            return build;
        }
    }

    private async Task<StageFileSystem> BuildStageAsync(Stage stage)
    {
        var parent = dockerfile.Stages.Any(s => s.Name == stage.From) ? await BuildAsync(stage.From) : null;
        var fs = new StageFileSystem(Directory.CreateDirectory(Path.Combine(scratch, stage.Name)).FullName, parent);
        var args = dockerfile.ArgsOf(stage);
        var workdir = fs.Workdir;
        foreach (var instruction in stage.Instructions)
        {
            var text = Dockerfile.Expand(instruction.Arguments, args);
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = text.StartsWith('/') ? text : $"{workdir.TrimEnd('/')}/{text}";
                    Directory.CreateDirectory(fs.Resolve(workdir));
                    break;
                case "COPY":
                    await CopyAsync(fs, workdir, text, instruction);
                    break;
                case "RUN":
                    await RunAsync(fs, workdir, text, instruction);
                    break;
                case "ARG" or "ENV" or "USER" or "ENTRYPOINT" or "CMD" or "LABEL" or "EXPOSE":
                    break;
                default:
                    throw new NotSupportedException($"the emulator does not know {instruction}");
            }
        }

        fs.Workdir = workdir;
        return fs;
    }

    private async Task CopyAsync(StageFileSystem fs, string workdir, string text, Instruction instruction)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        StageFileSystem? from = null;
        if (words[0].StartsWith("--from=", StringComparison.Ordinal))
        {
            from = await BuildAsync(words[0]["--from=".Length..]);
            words.RemoveAt(0);
        }

        if (words.Count < 2 || words.Any(w => w.StartsWith("--", StringComparison.Ordinal) || w.IndexOfAny(['*', '?', '[']) >= 0))
        {
            throw new NotSupportedException($"the emulator copies plain paths only: {instruction}");
        }

        var destination = words[^1].StartsWith('/') ? words[^1] : $"{workdir.TrimEnd('/')}/{words[^1]}";
        var intoFolder = words.Count > 2 || words[^1].EndsWith('/') || words[^1] is "." or "./";
        foreach (var source in words[..^1])
        {
            var (path, relative) = from is null
                ? (Path.Combine(context, source), source.Trim('/'))
                : (from.Resolve(source), (string?)null);
            if (relative is not null && _ignore.IsExcluded(relative))
            {
                throw new FileNotFoundException($"{instruction}: {source} is left out of the build context by .dockerignore");
            }

            if (Directory.Exists(path))
            {
                CopyFolder(path, fs.Resolve(destination), relative);
            }
            else if (File.Exists(path))
            {
                var target = intoFolder ? Path.Combine(fs.Resolve(destination), Path.GetFileName(path)) : fs.Resolve(destination);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(path, target, overwrite: true);
            }
            else
            {
                throw new FileNotFoundException($"{instruction}: {source} does not exist");
            }
        }
    }

    /// <summary>Copies a folder's contents; from the context, what .dockerignore leaves out stays out.</summary>
    private void CopyFolder(string source, string target, string? contextRelative)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var inner = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (contextRelative is not null && _ignore.IsExcluded($"{contextRelative}/{inner}"))
            {
                continue;
            }

            var destination = Path.Combine(target, inner);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private async Task RunAsync(StageFileSystem fs, string workdir, string text, Instruction instruction)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "dotnet" || words.Any(w => w.IndexOfAny(['&', '|', ';', '$', '"', '\'', '`']) >= 0))
        {
            throw new NotSupportedException($"the emulator runs plain dotnet commands only: {instruction}");
        }

        var arguments = words[1..].Select(w => w.StartsWith('/') ? fs.Resolve(w) : w);
        var started = DateTime.UtcNow;
        // A Native AOT publish compiles the whole program to machine code: minutes on a busy machine
        // (over 10 measured here with a load average of 35 on 2 cores).
        var result = await ProcessRunner.RunAsync("dotnet", arguments, fs.Resolve(workdir), ProcessRunner.DotnetChildEnvironment(), timeout: TimeSpan.FromMinutes(20));
        Log.Add($"{instruction} -> exit {result.ExitCode} in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        result.EnsureSuccess();
    }
}
