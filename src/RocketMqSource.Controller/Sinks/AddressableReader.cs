using System.Globalization;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Pure reading of a destination's address, as knative/pkg resolver/addressable_resolver.go does,
/// under Knative's transport-encryption (knative/eventing pkg/apis/feature/features.go):
/// <list type="bullet">
/// <item>an Addressable's address is the first of status.addresses, else status.address
/// (selectAddress); under permissive or strict the first https one among them wins, since
/// "producers must send events to HTTPS endpoints, if available" (Addressables list https first,
/// e.g. knative/eventing pkg/reconciler/broker/broker.go);</item>
/// <item>its CACerts and audience come with it, and the Destination's own win;</item>
/// <item>a core Service is http://name.namespace.svc.cluster.local (with its port unless 80),
/// https when the Destination carries CACerts;</item>
/// <item>under strict, a destination that is still plain http is refused (Knative's own sources
/// would send to it and fail at delivery, as strict Addressables accept only https).</item>
/// </list>
/// </summary>
internal static class AddressableReader
{
    public static SinkResolution FromAddressable(Addressable target, string described, Destination destination, TransportEncryption encryption)
    {
        var status = target.Status;
        if (ChooseAddress(status, encryption) is { } address && Absolute(address.Url) is { } uri)
        {
            return Checked(Apply(new ResolvedAddress(uri, NonEmpty(address.CACerts), NonEmpty(address.Audience)), destination), described, encryption);
        }

        // A Knative Service without a cluster-local address still has its public URL.
        if (AddressableKinds.IsKnativeService(destination.Ref!) && Absolute(status?.Url) is { } publicUrl)
        {
            return Checked(Apply(new ResolvedAddress(publicUrl, null, null), destination), described, encryption);
        }

        if (status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready && ready.Status != "True")
        {
            return SinkResolution.Fail(SinkProblem.NotReady, described, NonEmpty(ready.Message) ?? NonEmpty(ready.Reason) ?? "it reports Ready " + ready.Status);
        }

        return SinkResolution.Fail(SinkProblem.NotAddressable, described);
    }

    public static SinkResolution FromCoreService(CoreService service, string described, Destination destination, TransportEncryption encryption)
    {
        var reference = destination.Ref!;
        var ports = service.Spec?.Ports ?? [];
        var scheme = string.IsNullOrEmpty(destination.CACerts) ? "http" : "https";
        var chosen = ports.FirstOrDefault(p => scheme == "https" ? p.Name == "https" : p.Name is "http" or "http1") ?? ports.FirstOrDefault();
        var port = chosen?.Port ?? 80;
        var host = $"{reference.Name}.{service.Metadata.NamespaceProperty}.svc.cluster.local";
        var authority = port == 80 ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        return Checked(Apply(new ResolvedAddress(new Uri($"{scheme}://{authority}/"), null, null), destination), described, encryption);
    }

    /// <summary>An absolute uri without a ref (already validated as http or https).</summary>
    public static SinkResolution FromUri(Destination destination, TransportEncryption encryption) =>
        Checked(new ResolvedAddress(new Uri(destination.Uri!), NonEmpty(destination.CACerts), NonEmpty(destination.Audience)), "uri", encryption);

    private static SinkResolution Checked(ResolvedAddress address, string described, TransportEncryption encryption) =>
        encryption == TransportEncryption.Strict && address.Uri.Scheme != Uri.UriSchemeHttps
            ? SinkResolution.Fail(SinkProblem.NotHttps, described, address.Uri.ToString())
            : SinkResolution.Success(address);

    /// <summary>Applies the Destination's uri (relative to the ref's URL), CACerts and audience to the ref's address.</summary>
    private static ResolvedAddress Apply(ResolvedAddress refAddress, Destination destination) =>
        new(
            string.IsNullOrEmpty(destination.Uri) ? refAddress.Uri : new Uri(refAddress.Uri, destination.Uri),
            NonEmpty(destination.CACerts) ?? refAddress.CACerts,
            NonEmpty(destination.Audience) ?? refAddress.Audience);

    private static Addressee? ChooseAddress(AddressableStatus? status, TransportEncryption encryption)
    {
        var candidates = (status?.Addresses ?? []).Append(status?.Address).OfType<Addressee>().Where(a => Absolute(a.Url) is not null).ToList();
        var https = encryption == TransportEncryption.Disabled ? null : candidates.FirstOrDefault(a => Absolute(a.Url)!.Scheme == Uri.UriSchemeHttps);
        return https ?? candidates.FirstOrDefault();
    }

    private static Uri? Absolute(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
