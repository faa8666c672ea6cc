using System.Net;
using k8s;
using k8s.Autorest;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Sinks;

/// <summary>Resolves a Destination to an address by reading the referenced object (I/O); the rules are in <see cref="AddressableReader"/>.</summary>
internal sealed class SinkResolver(IKubernetes client)
{
    /// <param name="destination">A destination already checked by <see cref="SpecValidator.ValidateDestination"/>.</param>
    /// <param name="sourceNamespace">The default namespace of the reference.</param>
    public async Task<SinkOutcome> ResolveAsync(Destination destination, string sourceNamespace, CancellationToken cancellationToken)
    {
        if (destination.Ref is not { } reference)
        {
            return SinkOutcome.Success(new ResolvedAddress(new Uri(destination.Uri!), NullIfEmpty(destination.CACerts), NullIfEmpty(destination.Audience)));
        }

        var @namespace = string.IsNullOrEmpty(reference.Namespace) ? sourceNamespace : reference.Namespace;
        var described = AddressableKinds.Describe(reference, @namespace);
        SinkOutcome outcome;
        try
        {
            outcome = AddressableKinds.IsCoreService(reference)
                ? AddressableReader.FromCoreService(await client.CoreV1.ReadNamespacedServiceAsync(reference.Name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false), reference, @namespace)
                : AddressableReader.FromAddressable(await ReadAddressableAsync(reference, @namespace, cancellationToken).ConfigureAwait(false), reference, @namespace);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return SinkOutcome.Failure(Reasons.SinkNotFound, $"{described} not found");
        }
        catch (HttpOperationException e) when (e.Code() == HttpStatusCode.Forbidden)
        {
            return SinkOutcome.Failure(Reasons.SinkNotResolved,
                $"the controller may not read {described}; grant get/list/watch on it through Knative's addressable-resolver ClusterRole");
        }

        return outcome.Address is { } address ? SinkOutcome.Success(AddressableReader.Apply(address, destination)) : outcome;
    }

    /// <summary>Any kind, read as the Addressable duck type (CustomObjects serves every group).</summary>
    private Task<Addressable> ReadAddressableAsync(KReference reference, string @namespace, CancellationToken cancellationToken)
    {
        var resource = AddressableKinds.ResourceOf(reference);
        return client.CustomObjects.GetNamespacedCustomObjectAsync<Addressable>(resource.Group, resource.Version, @namespace, resource.Plural, reference.Name, cancellationToken);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
