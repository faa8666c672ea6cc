using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RocketMqSource.Kubernetes.Models;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes;

/// <summary>
/// The Kubernetes API client. Build it from <see cref="KubernetesClientConfiguration"/>;
/// pass extra JSON metadata (e.g. a source-generated context for custom resource types)
/// as <paramref name="additionalTypes"/>.
/// </summary>
public sealed partial class KubernetesClient : IKubernetes, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient http;
    private readonly JsonSerializerOptions jsonOptions;

    public KubernetesClient(KubernetesClientConfiguration config, IJsonTypeInfoResolver? additionalTypes = null)
        : this(new HttpClient(KubernetesHttpHandlerFactory.Create(config), disposeHandler: true), config.Host, additionalTypes)
    {
    }

    internal KubernetesClient(HttpClient http, string host, IJsonTypeInfoResolver? additionalTypes)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        this.http = http;
        // Watches stay open for minutes; other requests get their own timeout.
        this.http.Timeout = Timeout.InfiniteTimeSpan;
        this.http.BaseAddress = new Uri(host.TrimEnd('/') + "/");
        BaseUri = this.http.BaseAddress;
        jsonOptions = new JsonSerializerOptions(KubernetesJsonContext.Default.Options)
        {
            TypeInfoResolver = additionalTypes is null
                ? KubernetesJsonContext.Default
                : JsonTypeInfoResolver.Combine(KubernetesJsonContext.Default, additionalTypes),
        };
    }

    public Uri BaseUri { get; }

    public Task<T> GetAsync<T>(ResourceType type, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class =>
        SendAsync<T>(HttpMethod.Get, ResourceUrl.Path(type, @namespace, name), null, cancellationToken);

    public Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class
    {
        options ??= new ListOptions();
        var url = ResourceUrl.WithQuery(
            ResourceUrl.Path(type, @namespace),
            ("labelSelector", options.LabelSelector),
            ("fieldSelector", options.FieldSelector),
            ("limit", options.Limit),
            ("continue", options.Continue),
            ("resourceVersion", options.ResourceVersion));
        return SendAsync<KubernetesList<T>>(HttpMethod.Get, url, null, cancellationToken);
    }

    public Task<T> CreateAsync<T>(ResourceType type, T obj, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var ns = @namespace ?? NamespaceOf(type, obj);
        return SendAsync<T>(HttpMethod.Post, ResourceUrl.Path(type, ns), Json(obj), cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class =>
        SendAsync<T>(HttpMethod.Put, ObjectPath(type, obj, null), Json(obj), cancellationToken);

    public Task<T> ReplaceStatusAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class =>
        SendAsync<T>(HttpMethod.Put, ObjectPath(type, obj, "status"), Json(obj), cancellationToken);

    public Task<T> PatchAsync<T>(ResourceType type, string name, V1Patch patch, string? @namespace = null, PatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class =>
        SendPatchAsync<T>(ResourceUrl.Path(type, @namespace, name), patch, options, cancellationToken);

    public Task<T> PatchStatusAsync<T>(ResourceType type, string name, V1Patch patch, string? @namespace = null, PatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class =>
        SendPatchAsync<T>(ResourceUrl.Path(type, @namespace, name, "status"), patch, options, cancellationToken);

    public Task<V1Status?> DeleteAsync(ResourceType type, string name, string? @namespace = null, V1DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = options is null ? null : Json(options);
        return DeleteCoreAsync(ResourceUrl.Path(type, @namespace, name), body, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private async Task<V1Status?> DeleteCoreAsync(string url, HttpContent? body, CancellationToken cancellationToken)
    {
        // A delete answers with the Status or with the deleted object; keep Status, else report success.
        var node = await SendAsync<System.Text.Json.Nodes.JsonNode>(HttpMethod.Delete, url, body, cancellationToken).ConfigureAwait(false);
        return node?["kind"]?.GetValue<string>() == "Status"
            ? node.Deserialize(KubernetesJsonContext.Default.V1Status)
            : new V1Status { Status = "Success", Code = 200 };
    }

    private Task<T> SendPatchAsync<T>(string path, V1Patch patch, PatchOptions? options, CancellationToken cancellationToken)
        where T : class
    {
        if (patch.Type == PatchType.ApplyPatch && string.IsNullOrEmpty(options?.FieldManager))
        {
            throw new ArgumentException("server-side apply needs PatchOptions.FieldManager", nameof(options));
        }

        var url = ResourceUrl.WithQuery(path, ("fieldManager", options?.FieldManager), ("force", options?.Force));
        var content = new StringContent(patch.Content.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(patch.ContentType);
        return SendAsync<T>(HttpMethod.Patch, url, content, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(method, url.TrimStart('/')) { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, TypeInfo<T>(), timeout.Token).ConfigureAwait(false)
                ?? throw new JsonException($"empty response to {method} {url}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {url} took longer than {RequestTimeout.TotalSeconds} s");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        V1Status? status = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            status = text.Length == 0 ? null : JsonSerializer.Deserialize(text, KubernetesJsonContext.Default.V1Status);
        }
        catch (JsonException)
        {
            // Not a Status body (e.g. a proxy's HTML page): report the HTTP code alone.
        }

        throw new KubernetesApiException(response.StatusCode, status);
    }

    private StringContent Json<T>(T value)
    {
        var content = new StringContent(JsonSerializer.Serialize(value, TypeInfo<T>()), Encoding.UTF8);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)jsonOptions.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"no JSON metadata for {typeof(T).Name}; pass a resolver for it");

    private static string ObjectPath<T>(ResourceType type, T obj, string? subresource)
        where T : class
    {
        var name = ObjectMetadata.Name(obj) ?? throw new ArgumentException("object has no metadata.name", nameof(obj));
        return ResourceUrl.Path(type, NamespaceOf(type, obj), name, subresource);
    }

    private static string? NamespaceOf<T>(ResourceType type, T obj)
        where T : class
    {
        if (!type.Namespaced)
        {
            return null;
        }

        return ObjectMetadata.Namespace(obj) is { Length: > 0 } ns
            ? ns
            : throw new ArgumentException($"{type.Plural} is namespaced: set metadata.namespace or pass a namespace", nameof(obj));
    }
}
