using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Makes sure a source's OIDC identity exists (I/O; the objects come from <see cref="OidcResources"/>):
/// each object is read, created when missing, and refused when someone else controls it, as
/// knative/eventing EnsureOIDCServiceAccountExistsForResource does. With the flag off the account an
/// earlier "enabled" made is deleted, if the source controls it (eventing pkg/auth/serviceaccount.go
/// SetupOIDCServiceAccount → DeleteOIDCServiceAccountIfExists); as there, its token Role and
/// RoleBinding stay until the source goes (owner references).
/// </summary>
internal sealed class OidcIdentityWriter(IKubernetes client)
{
    public async Task<(OidcOutcome Outcome, AdapterIdentity? Identity)> EnsureAsync(V1Alpha1RocketMQSource source, bool enabled, CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            // status.auth names the account while the flag is on: a source that never had one costs no request.
            if (source.Status?.Auth?.ServiceAccountName is { } previous)
            {
                await DeleteIfControlledAsync(source, previous, cancellationToken).ConfigureAwait(false);
            }

            return (new OidcOutcome(false, null, null), null);
        }

        var ns = source.Metadata.NamespaceProperty;
        var account = OidcResources.ServiceAccount(source);
        var name = account.Metadata.Name;
        try
        {
            await EnsureAsync(
                source, account,
                token => client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: token),
                token => client.CoreV1.CreateNamespacedServiceAccountAsync(account, ns, cancellationToken: token),
                cancellationToken).ConfigureAwait(false);
            var role = OidcResources.TokenRole(source);
            await EnsureAsync(
                source, role,
                token => client.RbacAuthorizationV1.ReadNamespacedRoleAsync(role.Metadata.Name, ns, cancellationToken: token),
                token => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, ns, cancellationToken: token),
                cancellationToken).ConfigureAwait(false);
            var binding = OidcResources.TokenRoleBinding(source);
            await EnsureAsync(
                source, binding,
                token => client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(binding.Metadata.Name, ns, cancellationToken: token),
                token => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, ns, cancellationToken: token),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OidcIdentityException e)
        {
            return (new OidcOutcome(true, name, e.Message), null);
        }

        return (new OidcOutcome(true, name, null), new AdapterIdentity(name));
    }

    /// <summary>A failure other than "already gone" fails the reconcile, which retries with backoff, as Knative's does.</summary>
    private async Task DeleteIfControlledAsync(V1Alpha1RocketMQSource source, string name, CancellationToken cancellationToken)
    {
        var ns = source.Metadata.NamespaceProperty;
        try
        {
            var account = await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (account.GetController()?.Uid == source.Metadata.Uid)
            {
                await client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // Already gone.
        }
    }

    private static async Task EnsureAsync<T>(V1Alpha1RocketMQSource source, T desired, Func<CancellationToken, Task<T>> read, Func<CancellationToken, Task<T>> create, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var what = $"{desired.Kind} {source.Metadata.NamespaceProperty}/{desired.Metadata.Name}";
        T existing;
        try
        {
            existing = await read(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            try
            {
                await create(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException created) when (created.Code() is HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
            {
                throw new OidcIdentityException($"could not create OIDC {what} for {source.Metadata.Name}: {created.Describe()}");
            }
        }
        catch (HttpOperationException e) when (e.Code() == HttpStatusCode.Forbidden)
        {
            throw new OidcIdentityException($"could not get OIDC {what} for {source.Metadata.Name}: {e.Describe()}");
        }

        if (existing.GetController() is not { } owner || owner.Uid != source.Metadata.Uid)
        {
            throw new OidcIdentityException($"{what} not owned by {V1Alpha1RocketMQSource.KindName} {source.Metadata.Name}");
        }
    }

    private sealed class OidcIdentityException(string message) : Exception(message);
}
