namespace RocketMqSource.Testing.Kubernetes;

/// <summary>
/// A parsed API path: /api/v1/... or /apis/{group}/{version}/..., then optionally
/// namespaces/{ns}/, the plural, a name and a subresource.
/// </summary>
public sealed record ApiPath(string Group, string Version, string Plural, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Storage key of the resource: versions of one group/plural share objects.</summary>
    public string ResourceKey => $"{Group}/{Plural}";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ApiPath? TryParse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..];
        // namespaces/{ns}/{plural}[/{name}[/{sub}]] addresses a namespaced resource; a bare
        // namespaces[/{name}[/status|finalize]] is the Namespace resource itself.
        if (tail.Length >= 3 && tail[0] == "namespaces" && !(tail.Length == 3 && tail[2] is "status" or "finalize"))
        {
            return tail.Length > 5 ? null : new(group, version, tail[2], tail[1], tail.ElementAtOrDefault(3), tail.ElementAtOrDefault(4));
        }

        return tail.Length > 3 ? null : new(group, version, tail[0], null, tail.ElementAtOrDefault(1), tail.ElementAtOrDefault(2));
    }

    /// <summary>The path of this object's collection, for seeding.</summary>
    public string CollectionPath =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}") +
        (Namespace is null ? "" : $"/namespaces/{Namespace}") + $"/{Plural}";
}
