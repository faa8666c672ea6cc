using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Sinks;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>Destination → URI for each kind, read from a loopback API-server double.</summary>
public sealed class SinkResolutionTests : IAsyncLifetime
{
    private KubernetesApiServerDouble server = null!;
    private k8s.Kubernetes client = null!;
    private SinkResolver resolver = null!;

    public async Task InitializeAsync()
    {
        server = await KubernetesApiServerDouble.StartAsync();
        client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
        resolver = new SinkResolver(client);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
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
    public async Task Any_Addressable_carries_its_CACerts_and_audience_from_the_matching_addresses_entry()
    {
        Seed("/apis/messaging.knative.dev/v1/namespaces/food/inmemorychannels", "orders", new JsonObject
        {
            ["address"] = new JsonObject { ["name"] = "https", ["url"] = "https://orders-kn-channel.food.svc.cluster.local" },
            ["addresses"] = new JsonArray(
                new JsonObject { ["name"] = "http", ["url"] = "http://orders-kn-channel.food.svc.cluster.local" },
                new JsonObject { ["name"] = "https", ["url"] = "https://orders-kn-channel.food.svc.cluster.local", ["CACerts"] = "PEM", ["audience"] = "messaging.knative.dev/inmemorychannel/food/orders" }),
        });

        var outcome = await Resolve(new Destination { Ref = Ref("messaging.knative.dev/v1", "InMemoryChannel", "orders") });

        Assert.Equal("https://orders-kn-channel.food.svc.cluster.local/", outcome.Address!.Uri.ToString());
        Assert.Equal("PEM", outcome.Address.CACerts);
        Assert.Equal("messaging.knative.dev/inmemorychannel/food/orders", outcome.Address.Audience);
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
    public async Task A_ref_in_another_namespace_is_read_there()
    {
        server.Seed("/apis/eventing.knative.dev/v1/namespaces/shared/brokers", Broker("central", "http://broker-ingress/shared/central"));

        var outcome = await Resolve(new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "central", Namespace = "shared" } });

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

        Assert.Equal((Reasons.SinkNotFound, "Broker food/default not found"), (missing.Reason, missing.Message));
        Assert.Equal((Reasons.SinkNotReady, "Broker food/starting is not ready: ingress endpoints are not ready"), (starting.Reason, starting.Message));
        Assert.Equal(Reasons.SinkNotAddressable, plain.Reason);
        Assert.Equal("Deployment food/plain has no address (status.address.url is empty); is it an Addressable?", plain.Message);
    }

    [Fact]
    public async Task A_forbidden_read_points_at_the_addressable_resolver_role()
    {
        server.FailureInjector = r => r.Path.Contains("/brokers/", StringComparison.Ordinal) ? 403 : null;

        var outcome = await Resolve(new Destination { Ref = Ref("eventing.knative.dev/v1", "Broker", "default") });

        Assert.Equal(Reasons.SinkNotResolved, outcome.Reason);
        Assert.Contains("addressable-resolver", outcome.Message);
    }

    [Theory]
    [InlineData("Broker", "brokers")]
    [InlineData("InMemoryChannel", "inmemorychannels")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("Policy", "policies")]
    [InlineData("Gateway", "gateways")]
    public void Kinds_map_to_their_plural_resource(string kind, string plural) => Assert.Equal(plural, AddressableKinds.Plural(kind));

    private Task<SinkOutcome> Resolve(Destination destination) => resolver.ResolveAsync(destination, "food", CancellationToken.None);

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
