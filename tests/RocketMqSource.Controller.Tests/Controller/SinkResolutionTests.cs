using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Sinks;
using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// Destination → address for each kind and each Knative transport-encryption mode, read through
/// the informer caches from a loopback API-server double.
/// </summary>
public sealed class SinkResolutionTests : IAsyncLifetime
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nBROKER\n-----END CERTIFICATE-----\n";
    private readonly CancellationTokenSource stop = new();
    private KubernetesApiServerDouble server = null!;
    private k8s.Kubernetes client = null!;
    private InformerFactory informers = null!;
    private SinkResolver resolver = null!;

    public async Task InitializeAsync()
    {
        server = await KubernetesApiServerDouble.StartAsync();
        client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
        informers = new InformerFactory(client, stop.Token);
        resolver = new SinkResolver(informers);
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await informers.StoppedAsync();
        client.Dispose();
        await server.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task A_Broker_resolves_to_its_address_url()
    {
        SeedBroker("default", "http://broker-ingress.knative-eventing.svc.cluster.local/food/default");

        var outcome = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });

        Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/food/default", outcome.Address!.Uri.ToString());
    }

    [Fact]
    public async Task A_Knative_Service_resolves_to_its_cluster_local_address_else_its_url()
    {
        Seed("/apis/serving.knative.dev/v1/namespaces/food/services", "order-service", new JsonObject
        {
            ["address"] = new JsonObject { ["url"] = "http://order-service.food.svc.cluster.local" },
            ["url"] = "https://order-service.food.example.com",
        });
        Seed("/apis/serving.knative.dev/v1/namespaces/food/services", "public-only", new JsonObject { ["url"] = "https://public-only.food.example.com" });

        var local = await Resolve(new Destination { Ref = Ref("serving.knative.dev/v1", "Service", "order-service") });
        var publicOnly = await Resolve(new Destination { Ref = Ref("serving.knative.dev/v1", "Service", "public-only") });

        Assert.Equal("http://order-service.food.svc.cluster.local/", local.Address!.Uri.ToString());
        Assert.Equal("https://public-only.food.example.com/", publicOnly.Address!.Uri.ToString());
    }

    [Fact]
    public async Task Any_Addressable_resolves_to_the_first_of_status_addresses_with_its_CACerts_and_audience()
    {
        // knative/pkg resolver/addressable_resolver.go selectAddress: status.addresses[0], else status.address.
        Seed("/apis/messaging.knative.dev/v1/namespaces/food/inmemorychannels", "orders", new JsonObject
        {
            ["address"] = new JsonObject { ["name"] = "http", ["url"] = "http://orders-kn-channel.food.svc.cluster.local" },
            ["addresses"] = new JsonArray(
                new JsonObject { ["name"] = "https", ["url"] = "https://orders-kn-channel.food.svc.cluster.local", ["CACerts"] = "PEM", ["audience"] = "messaging.knative.dev/inmemorychannel/food/orders" },
                new JsonObject { ["name"] = "http", ["url"] = "http://orders-kn-channel.food.svc.cluster.local" }),
        });

        var outcome = await Resolve(new Destination { Ref = Ref("messaging.knative.dev/v1", "InMemoryChannel", "orders") });

        Assert.Equal("https://orders-kn-channel.food.svc.cluster.local/", outcome.Address!.Uri.ToString());
        Assert.Equal("PEM", outcome.Address.CACerts);
        Assert.Equal("messaging.knative.dev/inmemorychannel/food/orders", outcome.Address.Audience);
    }

    /// <summary>
    /// A Broker as knative/eventing pkg/reconciler/broker/broker.go publishes it in each mode:
    /// disabled, status.address http; permissive, status.address http and status.addresses
    /// [https with the CA, http]; strict, https only. Here the addresses are listed http first, so
    /// only the mode's preference for https can pick https.
    /// </summary>
    [Theory]
    [InlineData("disabled", "http", "http://broker-ingress/food/default", null)]
    [InlineData("permissive", "http", "https://broker-ingress/food/default", Pem)]
    [InlineData("permissive", "http-only", "http://broker-ingress/food/default", null)]
    [InlineData("strict", "https-only", "https://broker-ingress/food/default", Pem)]
    [InlineData("strict", "http", "https://broker-ingress/food/default", Pem)]
    public async Task Each_transport_encryption_mode_picks_the_address_Knative_producers_send_to(string mode, string advertised, string expectedUri, string? expectedCaCerts)
    {
        var http = new JsonObject { ["name"] = "http", ["url"] = "http://broker-ingress/food/default" };
        var https = new JsonObject { ["name"] = "https", ["url"] = "https://broker-ingress/food/default", ["CACerts"] = Pem };
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", new JsonObject
        {
            ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["metadata"] = new JsonObject { ["name"] = "default" },
            ["status"] = advertised switch
            {
                "http-only" => new JsonObject { ["address"] = http.DeepClone() },
                "https-only" => new JsonObject { ["address"] = https.DeepClone(), ["addresses"] = new JsonArray(https.DeepClone()) },
                _ => new JsonObject { ["address"] = http.DeepClone(), ["addresses"] = new JsonArray(http.DeepClone(), https.DeepClone()) },
            },
        });

        var outcome = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") }, Mode(mode));

        Assert.Equal((expectedUri, expectedCaCerts), (outcome.Address!.Uri.ToString(), outcome.Address.CACerts));
    }

    [Fact]
    public async Task Under_strict_a_destination_that_is_still_plain_http_is_refused_naming_it()
    {
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", Broker("default", "http://broker-ingress/food/default"));
        server.Seed("/api/v1/namespaces/food/services", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "web" }, ["spec"] = Ports(80) });

        var broker = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") }, Mode("strict"));
        var uri = await Resolve(new Destination { Uri = "http://events.example.com/in" }, Mode("strict"));
        var service = await Resolve(new Destination { Ref = Ref("v1", "Service", "web") }, Mode("strict"));
        var httpsUri = await Resolve(new Destination { Uri = "https://events.example.com/in", CACerts = Pem }, Mode("strict"));
        var httpsService = await Resolve(new Destination { Ref = Ref("v1", "Service", "web"), CACerts = Pem }, Mode("strict"));

        Assert.Equal(new SinkFailure(SinkProblem.NotHttps, "Broker food/default", "http://broker-ingress/food/default"), broker.Failure);
        Assert.Equal(new SinkFailure(SinkProblem.NotHttps, "uri", "http://events.example.com/in"), uri.Failure);
        Assert.Equal(SinkProblem.NotHttps, service.Failure!.Problem);
        Assert.Equal(("https://events.example.com/in", Pem), (httpsUri.Address!.Uri.ToString(), httpsUri.Address.CACerts));
        // knative/pkg: a core Service ref with CACerts on the Destination is addressed over https.
        Assert.Equal(("https://web.food.svc.cluster.local/", Pem), (httpsService.Address!.Uri.ToString(), httpsService.Address.CACerts));
    }

    [Fact]
    public async Task Only_status_addresses_is_enough()
    {
        Seed("/apis/example.dev/v1/namespaces/food/gateways", "gw", new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["name"] = "http", ["url"] = "http://gw.food.svc.cluster.local/in" }),
        });

        var outcome = await Resolve(new Destination { Ref = Ref("example.dev/v1", "Gateway", "gw") });

        Assert.Equal("http://gw.food.svc.cluster.local/in", outcome.Address!.Uri.ToString());
    }

    [Fact]
    public async Task A_core_Service_resolves_to_its_cluster_DNS_name_with_a_non_default_port()
    {
        server.Seed("/api/v1/namespaces/food/services", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "web" }, ["spec"] = Ports(80) });
        server.Seed("/api/v1/namespaces/food/services", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "api" }, ["spec"] = Ports(8080) });

        var web = await Resolve(new Destination { Ref = Ref("v1", "Service", "web") });
        var api = await Resolve(new Destination { Ref = Ref("v1", "Service", "api") });

        Assert.Equal("http://web.food.svc.cluster.local/", web.Address!.Uri.ToString());
        Assert.Equal("http://api.food.svc.cluster.local:8080/", api.Address!.Uri.ToString());
    }

    [Fact]
    public async Task A_relative_uri_is_joined_onto_the_refs_url_and_the_destinations_CACerts_and_audience_win()
    {
        SeedBroker("default", "http://broker-ingress.knative-eventing.svc.cluster.local/food/default");

        var outcome = await Resolve(new Destination
        {
            Ref = Ref("eventing.knative.dev/v1", "Broker", "default"),
            Uri = "default/extra?x=1",
            CACerts = "MY-PEM",
            Audience = "my-audience",
        });

        Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/food/default/extra?x=1", outcome.Address!.Uri.ToString());
        Assert.Equal("MY-PEM", outcome.Address.CACerts);
        Assert.Equal("my-audience", outcome.Address.Audience);
    }

    [Fact]
    public async Task An_absolute_uri_needs_no_lookup()
    {
        var outcome = await Resolve(new Destination { Uri = "https://events.example.com/in", CACerts = "PEM" });

        Assert.Equal("https://events.example.com/in", outcome.Address!.Uri.ToString());
        Assert.Equal("PEM", outcome.Address.CACerts);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_kind_is_listed_once_then_every_resolution_reads_the_cache()
    {
        SeedBroker("default", "http://broker-ingress.knative-eventing.svc.cluster.local/food/default");
        await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });
        server.ClearRequests();

        for (var i = 0; i < 3; i++)
        {
            await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });
        }

        Assert.DoesNotContain(server.Requests, r => !r.IsWatch);
    }

    [Fact]
    public async Task A_ref_in_another_namespace_is_read_there()
    {
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/shared/brokers", Broker("central", "http://broker-ingress/shared/central"));

        var outcome = await Resolve(
            new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "central", Namespace = "shared" } },
            FeatureFlags.Parse(new Dictionary<string, string> { ["cross-namespace-event-links"] = "enabled" }));

        Assert.Equal("http://broker-ingress/shared/central", outcome.Address!.Uri.ToString());
    }

    [Fact]
    public async Task Missing_not_ready_and_address_less_objects_each_say_what_is_wrong()
    {
        var notReady = Broker("starting", null);
        notReady["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "NoIngress", ["message"] = "ingress endpoints are not ready" }),
        };
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", notReady);
        Seed("/apis/apps/v1/namespaces/food/deployments", "plain", new JsonObject());

        var missing = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });
        var starting = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "starting") });
        var plain = await Resolve(new Destination { Ref = Ref("apps/v1", "Deployment", "plain") });

        Assert.Equal(new SinkFailure(SinkProblem.NotFound, "Broker food/default"), missing.Failure);
        Assert.Equal(new SinkFailure(SinkProblem.NotReady, "Broker food/starting", "ingress endpoints are not ready"), starting.Failure);
        Assert.Equal(new SinkFailure(SinkProblem.NotAddressable, "Deployment food/plain"), plain.Failure);
    }

    [Fact]
    public async Task A_kind_the_controller_may_not_list_is_Forbidden_and_one_nobody_serves_is_NotFound()
    {
        server.FailureInjector = r => r.Path.Contains("/brokers", StringComparison.Ordinal) ? 403 : r.Path.Contains("/triggers", StringComparison.Ordinal) ? 404 : null;

        var forbidden = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });
        var unserved = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Trigger", "t") });

        Assert.Equal(new SinkFailure(SinkProblem.Forbidden, "Broker food/default"), forbidden.Failure);
        Assert.Equal(new SinkFailure(SinkProblem.NotFound, "Trigger food/t"), unserved.Failure);
        // The next resolution asks again: a CRD installed or a role granted since is seen.
        server.FailureInjector = null;
        SeedBroker("default", "http://broker-ingress/food/default");
        Assert.True((await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") })).Resolved);
    }

    [Theory]
    [InlineData("Broker", "brokers")]
    [InlineData("InMemoryChannel", "inmemorychannels")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("Policy", "policies")]
    [InlineData("Gateway", "gateways")]
    public void Kinds_map_to_their_plural_resource(string kind, string plural) => Assert.Equal(plural, AddressableKinds.Plural(kind));

    private static FeatureFlags Mode(string mode) => FeatureFlags.Parse(new Dictionary<string, string> { ["transport-encryption"] = mode });

    private Task<SinkResolution> Resolve(Destination destination, FeatureFlags? features = null) =>
        resolver.ResolveAsync(destination, "food", features ?? FeatureFlags.Defaults, CancellationToken.None);

    private static KReference Ref(string apiVersion, string kind, string name) => new() { ApiVersion = apiVersion, Kind = kind, Name = name };

    private void SeedBroker(string name, string url) => server.Seed("/apis/eventing.knative.dev/v1/namespaces/food/brokers", Broker(name, url));

    internal static JsonObject Broker(string name, string? url, string? audience = null) => new()
    {
        ["apiVersion"] = "eventing.knative.dev/v1",
        ["kind"] = "Broker",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["status"] = url is null ? null : new JsonObject
        {
            ["address"] = new JsonObject { ["url"] = url, ["audience"] = audience },
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        },
    };

    private void Seed(string collection, string name, JsonObject status)
    {
        var path = ApiPath.TryParse(collection)!;
        server.Seed(collection, new JsonObject { ["apiVersion"] = path.ApiVersion, ["kind"] = "Any", ["metadata"] = new JsonObject { ["name"] = name }, ["status"] = status });
    }

    private static JsonObject Ports(int port) => new() { ["ports"] = new JsonArray(new JsonObject { ["port"] = port }) };
}
