using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// The objects behind a source's Knative OIDC identity (pure): its own ServiceAccount
/// (knative/eventing pkg/auth/serviceaccount.go GetOIDCServiceAccountForResource), and a Role plus
/// RoleBinding that let the adapter's pod account create tokens for exactly that account
/// (knative/eventing pkg/reconciler/apiserversource/resources/oidc_rolebinding.go). All are
/// controlled by the source, so deleting it removes them.
/// </summary>
internal static class OidcResources
{
    /// <summary>Knative's auth.OIDCLabelKey.</summary>
    public const string OidcLabel = "oidc";

    /// <summary>&lt;name&gt;-oidc-sources.knative.dev-rocketmqsource, shortened by kmeta.ChildName when too long.</summary>
    public static string ServiceAccountName(V1Alpha1RocketMQSource source) =>
        ChildName(source.Metadata.Name, $"-oidc-{V1Alpha1RocketMQSource.Group}-{V1Alpha1RocketMQSource.KindName}").ToLowerInvariant();

    public static string TokenRoleName(V1Alpha1RocketMQSource source) => ChildName(source.Metadata.Name, "-create-oidc-token");

    public static V1ServiceAccount ServiceAccount(V1Alpha1RocketMQSource source) => new()
    {
        ApiVersion = "v1",
        Kind = V1ServiceAccount.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = ServiceAccountName(source),
            NamespaceProperty = source.Metadata.NamespaceProperty,
            OwnerReferences = [ServiceAccountOwner(source)],
            Annotations = new Dictionary<string, string> { ["description"] = $"Service Account for OIDC Authentication for {V1Alpha1RocketMQSource.KindName} \"{source.Metadata.Name}\"" },
            Labels = new Dictionary<string, string> { [OidcLabel] = "enabled" },
        },
    };

    public static V1Role TokenRole(V1Alpha1RocketMQSource source) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = V1Role.KubeKind,
        Metadata = Owned(source, TokenRoleName(source), $"Role for OIDC Authentication for {V1Alpha1RocketMQSource.KindName} \"{source.Metadata.Name}\""),
        Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["serviceaccounts/token"], Verbs = ["create"], ResourceNames = [ServiceAccountName(source)] }],
    };

    /// <summary>Binds the token Role to the adapter pod's own account (spec.serviceAccountName, else default).</summary>
    public static V1RoleBinding TokenRoleBinding(V1Alpha1RocketMQSource source) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = V1RoleBinding.KubeKind,
        Metadata = Owned(source, TokenRoleName(source), $"Role Binding for OIDC Authentication for {V1Alpha1RocketMQSource.KindName} \"{source.Metadata.Name}\""),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = V1Role.KubeKind, Name = TokenRoleName(source) },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = AdapterEnvironment.ServiceAccountName(source.Spec!), NamespaceProperty = source.Metadata.NamespaceProperty }],
    };

    /// <summary>
    /// knative/pkg kmeta/names.go ChildName: parent + suffix when that fits in 63 characters;
    /// else the parent is cut and its MD5 (hex) inserted; a suffix too long for that hashes
    /// parent + suffix and pads with the suffix's start, trimming a trailing non-alphanumeric.
    /// </summary>
    public static string ChildName(string parent, string suffix)
    {
        const int longest = 63;
        const int head = longest - 32;
        if (parent.Length <= longest - suffix.Length)
        {
            return parent + suffix;
        }

        if (head - suffix.Length <= 0)
        {
            var whole = Md5Hex(parent + suffix);
            var name = (parent.Length > head ? parent[..head] : parent) + whole;
            if (longest - name.Length is > 0 and var room)
            {
                name += suffix[..room];
            }

            var end = name.Length;
            while (end > 0 && !char.IsAsciiLetterOrDigit(name[end - 1]))
            {
                end--;
            }

            return name[..end];
        }

        return parent[..(head - suffix.Length)] + Md5Hex(parent) + suffix;
    }

    /// <summary>Knative's reference on the OIDC account: controller, but blockOwnerDeletion false.</summary>
    private static V1OwnerReference ServiceAccountOwner(V1Alpha1RocketMQSource source)
    {
        var owner = source.ControllerReference();
        owner.BlockOwnerDeletion = false;
        return owner;
    }

    private static V1ObjectMeta Owned(V1Alpha1RocketMQSource source, string name, string description) => new()
    {
        Name = name,
        NamespaceProperty = source.Metadata.NamespaceProperty,
        OwnerReferences = [source.ControllerReference()],
        Annotations = new Dictionary<string, string> { ["description"] = description },
        Labels = new Dictionary<string, string> { [OidcLabel] = string.Empty },
    };

    // MD5 only shortens a name, as in Knative; it protects nothing.
#pragma warning disable CA5351
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
