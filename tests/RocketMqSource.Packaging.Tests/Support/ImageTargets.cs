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

    /// <summary>The Dockerfile ARG that names a target's runtime base (hack/release.sh passes it as &lt;ID&gt;_BASE).</summary>
    public static string BaseArg(string target) => $"{target.ToUpperInvariant()}_BASE";

    /// <summary>
    /// Each target's runtime base: the controller runs on the ASP.NET Core shared framework; the
    /// adapter is a Native AOT executable and needs only the native dependencies (runtime-deps).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BasePattern = new Dictionary<string, string>
    {
        [Controller] = "^mcr.microsoft.com/dotnet/aspnet:10.0-[a-z]+-chiseled$",
        [Adapter] = "^mcr.microsoft.com/dotnet/runtime-deps:10.0-[a-z]+-chiseled$",
    };

    /// <summary>The publish command of each target's publish stage, as the Dockerfile runs it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Publish = new Dictionary<string, string>
    {
        [Controller] = $"dotnet publish {Project[Controller]} --no-restore -c Release -r $RID --self-contained false -o /app",
        // PublishAot in the project: self-contained and native, so no --self-contained switch.
        [Adapter] = $"dotnet publish {Project[Adapter]} --no-restore -c Release -r $RID -o /app",
    };

    /// <summary>The non-root user both images run as, the one config/ sets as runAsUser.</summary>
    public const string User = "65532:65532";
}
