namespace RocketMqSource.Kubernetes;

/// <summary>
/// Addresses one kind of resource on the API server for the official client's CustomObjects
/// operations (which serve any group, the core group too): API group ("" for core), version,
/// plural name in URLs, and whether objects live in a namespace.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, bool Namespaced = true)
{
    public static ResourceType Deployments { get; } = new("apps", "v1", "deployments");

    public static ResourceType Secrets { get; } = new("", "v1", "secrets");

    /// <summary>"v1" for the core group, else "group/version", as in an object's apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
