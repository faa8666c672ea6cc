using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Testing;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>
/// Secrets are watched as metadata only: the official client sends the metadata Accept headers,
/// the API-server double answers as kube-apiserver does (k8s.io/apiserver
/// pkg/endpoints/handlers/response.go doTransformObject: PartialObjectMetadata[List], 406 otherwise),
/// and the informer keeps only identity.
/// </summary>
public sealed class MetadataOnlyTests : IAsyncLifetime
{
    private const string Secrets = "/api/v1/namespaces/food/secrets";
    private readonly CancellationTokenSource stop = new();
    private ApiServerFixture api = null!;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task A_metadata_informer_never_receives_or_keeps_Secret_data()
    {
        api.Server.Seed(Secrets, Secret("rmq", "first-value"));
        var informer = new Informer<V1PartialObjectMetadata>(api.Client, ResourceType.Secrets);
        var seen = new ConcurrentQueue<V1PartialObjectMetadata>();
        informer.Added += seen.Enqueue;
        informer.Updated += (_, s) => seen.Enqueue(s);
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        await api.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("""{"data":{"secretKey":"c2Vjb25kLXZhbHVl"}}""", V1Patch.PatchType.MergePatch), "rmq", "food");
        await Eventually.WaitAsync(() => seen.Count == 2, "the update");
        await stop.CancelAsync();
        await running;

        var list = api.Server.Requests.First(r => r.Path == "/api/v1/secrets" && !r.IsWatch);
        var watch = api.Server.Requests.First(r => r.Path == "/api/v1/secrets" && r.IsWatch);
        Assert.Equal("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", list.Accept);
        Assert.Equal("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", watch.Accept);
        var cached = informer.Get("rmq", "food")!;
        Assert.Equal(("rmq", "food"), (cached.Name(), cached.Namespace()));
        Assert.False(string.IsNullOrEmpty(cached.Metadata.Uid));
        Assert.Equal(seen.Last().ResourceVersion(), cached.ResourceVersion());
        // Annotations can hold a Secret's data (kubectl's last-applied-configuration): not kept.
        Assert.All(seen, s => Assert.Null(s.Metadata.Annotations));
        Assert.DoesNotContain("value", KubernetesJson.Serialize(informer.List()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_double_answers_metadata_requests_like_kube_apiserver()
    {
        api.Server.Seed(Secrets, Secret("rmq", "value"));
        using var http = new HttpClient { BaseAddress = api.Server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ApiServerFixture.Token);

        var list = await GetAsync(http, Secrets, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
        var one = await GetAsync(http, Secrets + "/rmq", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        var unsupported = await GetAsync(http, Secrets, "application/json;as=Table;g=meta.k8s.io;v=v1beta2");
        var listAsObject = await GetAsync(http, Secrets, "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        var fallback = await GetAsync(http, Secrets, "application/json;as=Unknown;g=meta.k8s.io;v=v1, application/json");

        Assert.Equal((HttpStatusCode.OK, "PartialObjectMetadataList", "meta.k8s.io/v1"), (list.Code, (string?)list.Body["kind"], (string?)list.Body["apiVersion"]));
        var item = list.Body["items"]![0]!;
        Assert.Equal(("PartialObjectMetadata", "rmq"), ((string?)item["kind"], (string?)item["metadata"]!["name"]));
        Assert.Null(item["data"]);
        Assert.Equal((HttpStatusCode.OK, "PartialObjectMetadata"), (one.Code, (string?)one.Body["kind"]));
        Assert.Null(one.Body["data"]);
        Assert.Equal((HttpStatusCode.NotAcceptable, "NotAcceptable"), (unsupported.Code, (string?)unsupported.Body["reason"]));
        Assert.Equal(HttpStatusCode.NotAcceptable, listAsObject.Code);
        Assert.Equal((HttpStatusCode.OK, "SecretList"), (fallback.Code, (string?)fallback.Body["kind"]));
    }

    [Fact]
    public async Task The_official_client_reports_406_for_a_conversion_the_server_refuses()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = ["application/json;as=Nothing;g=meta.k8s.io;v=v1"] };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            api.Client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>("", "v1", "secrets", customHeaders: headers));

        Assert.Equal(HttpStatusCode.NotAcceptable, error.Response.StatusCode);
    }

    private static async Task<(HttpStatusCode Code, JsonObject Body)> GetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static JsonObject Secret(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "food",
            ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"stringData\":{\"accessKey\":\"" + value + "\"}}" },
        },
        ["data"] = new JsonObject { ["accessKey"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) },
    };
}
