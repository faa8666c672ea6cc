namespace RocketMqSource.Controller.Api;

/// <summary>One Secret key a source references, and the spec field that references it.</summary>
internal sealed record SecretReference(string Name, string Key, string Field);

internal static class SecretReferences
{
    public static IReadOnlyList<SecretReference> Of(RocketMQSourceSpec? spec)
    {
        var references = new List<SecretReference>();
        Add(references, spec?.Credentials?.AccessKey, "spec.credentials.accessKey");
        Add(references, spec?.Credentials?.SecretKey, "spec.credentials.secretKey");
        Add(references, spec?.Credentials?.SecurityToken, "spec.credentials.securityToken");
        Add(references, spec?.CaCert, "spec.caCert");
        return references;
    }

    private static void Add(List<SecretReference> references, SecretValueFromSource? value, string field)
    {
        if (value?.SecretKeyRef is { Name: { Length: > 0 } name, Key: { Length: > 0 } key })
        {
            references.Add(new SecretReference(name, key, field));
        }
    }
}
