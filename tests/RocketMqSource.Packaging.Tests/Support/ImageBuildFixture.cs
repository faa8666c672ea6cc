using RocketMqSource.Packaging.Tests.Docker;
using RocketMqSource.Testing;

namespace RocketMqSource.Packaging.Tests.Support;

/// <summary>
/// Emulates `docker build --target controller` and `--target adapter` once per test run (the
/// restore and both publishes, the adapter's a Native AOT compile, take minutes on a busy machine), in a temporary folder
/// so that the repository's own bin/ and obj/ are never touched.
/// </summary>
public sealed class ImageBuildFixture : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("rocketmqsource-image-build-").FullName;

    internal Dockerfile Dockerfile { get; } = Dockerfile.Load(RepoPaths.Combine("Dockerfile"));

    internal IReadOnlyDictionary<string, StageFileSystem> Targets { get; private set; } = new Dictionary<string, StageFileSystem>();

    /// <summary>The build failure, kept so that each test reports it rather than the fixture hiding it.</summary>
    internal Exception? Failure { get; private set; }

    internal BuildEmulator? Emulator { get; private set; }

    public async Task InitializeAsync()
    {
        Emulator = new BuildEmulator(Dockerfile, RepoPaths.Root, _scratch);
        try
        {
            // Both targets share the build stage's folder (built once) and their publishes share projects
            // (the controller checks RocketMQ with the client library), so they run one after the other:
            // side by side, both wrote the same bin/ files (a deps.json "being used by another process").
            // Docker gives each stage a filesystem of its own; here one folder stands in for both.
            var targets = new Dictionary<string, StageFileSystem>();
            foreach (var target in ImageTargets.All)
            {
                targets[target] = await Emulator.BuildAsync(target);
            }

            Targets = targets;
        }
#pragma warning disable CA1031 // Any build failure is reported by every test that needs the images.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failure = e;
        }
    }

    internal StageFileSystem Image(string target) =>
        Failure is null ? Targets[target] : throw new InvalidOperationException($"the emulated image build failed\n{string.Join('\n', Emulator!.Log)}", Failure);

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ImageBuildCollection : ICollectionFixture<ImageBuildFixture>
{
    public const string Name = "image builds";
}
