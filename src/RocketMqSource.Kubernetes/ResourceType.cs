namespace RocketMqSource.Kubernetes;

/// <summary>
/// Addresses one kind of resource on the API server: API group ("" for core), version,
/// plural name in URLs, and whether objects live in a namespace.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, bool Namespaced = true)
{
    public static ResourceType Deployments { get; } = new("apps", "v1", "deployments");

    public static ResourceType Leases { get; } = new("coordination.k8s.io", "v1", "leases");

    public static ResourceType Events { get; } = new("events.k8s.io", "v1", "events");

    public static ResourceType Secrets { get; } = new("", "v1", "secrets");

    public static ResourceType ConfigMaps { get; } = new("", "v1", "configmaps");

    public static ResourceType Services { get; } = new("", "v1", "services");

    public static ResourceType Pods { get; } = new("", "v1", "pods");

    public static ResourceType Namespaces { get; } = new("", "v1", "namespaces", Namespaced: false);

    /// <summary>"v1" for the core group, else "group/version", as in an object's apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"/api/v1" for the core group, else "/apis/group/version".</summary>
    public string ApiPrefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
}
