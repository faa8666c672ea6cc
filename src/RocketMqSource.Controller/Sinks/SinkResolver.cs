using System.Net;
using k8s.Autorest;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Resolves a Destination to an address from the informer caches (one per referenced kind, started
/// on first use, as knative/pkg resolver's duck informers); the rules are in <see cref="AddressableReader"/>.
/// </summary>
internal sealed class SinkResolver(InformerFactory informers)
{
    /// <param name="destination">A destination already checked by the spec validator.</param>
    /// <param name="sourceNamespace">The default namespace of the reference.</param>
    public async Task<SinkResolution> ResolveAsync(Destination destination, string sourceNamespace, FeatureFlags features, CancellationToken cancellationToken)
    {
        var encryption = features.TransportEncryption;
        if (CrossNamespaceRule.Check(destination, sourceNamespace, features) is { } refused)
        {
            return refused;
        }

        if (destination.Ref is not { } reference)
        {
            return AddressableReader.FromUri(destination, encryption);
        }

        var @namespace = string.IsNullOrEmpty(reference.Namespace) ? sourceNamespace : reference.Namespace;
        var described = AddressableKinds.Describe(reference, @namespace);
        try
        {
            if (AddressableKinds.IsCoreService(reference))
            {
                var services = await informers.GetAsync<CoreService>(CoreService.Resource, CoreService.Trim, cancellationToken).ConfigureAwait(false);
                return services.Get(reference.Name!, @namespace) is { } service
                    ? AddressableReader.FromCoreService(service, described, destination, encryption)
                    : SinkResolution.Fail(SinkProblem.NotFound, described);
            }

            var addressables = await informers.GetAsync<Addressable>(AddressableKinds.ResourceOf(reference), Addressable.Trim, cancellationToken).ConfigureAwait(false);
            return addressables.Get(reference.Name!, @namespace) is { } addressable
                ? AddressableReader.FromAddressable(addressable, described, destination, encryption)
                : SinkResolution.Fail(SinkProblem.NotFound, described);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // Nobody serves the kind (its CRD is not installed).
            return SinkResolution.Fail(SinkProblem.NotFound, described);
        }
        catch (HttpOperationException e) when (e.Code() == HttpStatusCode.Forbidden)
        {
            return SinkResolution.Fail(SinkProblem.Forbidden, described);
        }
    }
}
