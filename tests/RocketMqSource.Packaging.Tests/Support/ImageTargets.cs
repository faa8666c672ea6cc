namespace RocketMqSource.Packaging.Tests.Support;

/// <summary>The Dockerfile's final stages, one per executable, and what each must contain.</summary>
internal static class ImageTargets
{
    public const string Controller = "controller";
    public const string Adapter = "adapter";

    public static readonly IReadOnlyList<string> All = [Controller, Adapter];

    /// <summary>The project each target publishes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Project = new Dictionary<string, string>
    {
        [Controller] = "src/RocketMqSource.Controller/RocketMqSource.Controller.csproj",
        [Adapter] = "src/RocketMqSource.Adapter/RocketMqSource.Adapter.csproj",
    };

    /// <summary>The non-root user both images run as, the one config/ sets as runAsUser.</summary>
    public const string User = "65532:65532";
}
