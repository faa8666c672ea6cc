using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>
/// An HTTP Kubernetes API server double on 127.0.0.1 (Kestrel): any resource under
/// /api/v1 or /apis/{group}/{version}, namespaced or cluster-scoped, with API-server
/// semantics — resourceVersion, uid, generation, 404/409/410 Status bodies, status
/// subresource, merge and JSON patch, label/field selectors, watch with bookmarks,
/// finalizers and ownerReference garbage collection — plus a request log for assertions.
/// </summary>
public sealed class KubernetesApiServerDouble : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly HashSet<string> statusSubresources;
    private readonly HashSet<string> tokens = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private Timer? bookmarkTimer;

    private KubernetesApiServerDouble(WebApplication app, KubernetesApiServerOptions options)
    {
        this.app = app;
        Options = options;
        statusSubresources = new HashSet<string>(options.StatusSubresources, StringComparer.Ordinal);
        if (options.BearerToken is not null)
        {
            tokens.Add(options.BearerToken);
        }

        Store = new ApiObjectStore(HasStatusSubresource, TimeProvider.System) { HistoryLimit = options.HistoryLimit };
        Endpoints = new ApiServerEndpoints(Store, options.Time, Authorize, Record, () => FailureInjector, options.NotServedGroups, stopping.Token);
    }

    public KubernetesApiServerOptions Options { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A kubeconfig in the temp folder that points a process (the controller) at this double with <paramref name="token"/>; the caller deletes it.</summary>
    public async Task<string> WriteKubeconfigAsync(string token)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, $$"""
            apiVersion: v1
            kind: Config
            current-context: double
            clusters: [{ name: double, cluster: { server: "{{BaseUri}}" } }]
            users: [{ name: double, user: { token: {{token}} } }]
            contexts: [{ name: double, context: { cluster: double, user: double } }]
            """).ConfigureAwait(false);
        return path;
    }

    public ApiObjectStore Store { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Decides per request whether to fail it with a status code (null = serve normally).</summary>
    public Func<RecordedRequest, int?>? FailureInjector { get; set; }

    private ApiServerEndpoints Endpoints { get; }

    public static async Task<KubernetesApiServerDouble> StartAsync(KubernetesApiServerOptions? options = null)
    {
        options ??= new KubernetesApiServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = options.RequestClientCertificate ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));

        var app = builder.Build();
        var server = new KubernetesApiServerDouble(app, options);
        app.Run(server.Endpoints.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        if (options.BookmarkInterval is { } interval)
        {
            server.bookmarkTimer = new Timer(_ => server.Store.EmitBookmarks(), null, interval, interval);
        }

        return server;
    }

    /// <summary>Creates an object under a collection path, e.g. "/apis/apps/v1/namespaces/default/deployments".</summary>
    public JsonObject Seed(string collectionPath, JsonObject obj) => Store.Create(Parse(collectionPath), obj);

    /// <summary>The stored object at an object path, or null.</summary>
    public JsonObject? TryGet(string objectPath)
    {
        try
        {
            return Store.Get(Parse(objectPath));
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>The stored objects under a collection path (all namespaces when the path has none).</summary>
    public IReadOnlyList<JsonObject> List(string collectionPath, string? labelSelector = null) =>
        Store.List(Parse(collectionPath), LabelSelector.Parse(labelSelector), FieldSelector.Parse(null)).Items;

    public void EnableStatusSubresource(string group, string plural)
    {
        lock (statusSubresources)
        {
            statusSubresources.Add($"{group}/{plural}");
        }
    }

    /// <summary>Accept this bearer token from now on (token rotation).</summary>
    public void AllowToken(string token)
    {
        lock (tokens)
        {
            tokens.Add(token);
        }
    }

    public void RevokeToken(string token)
    {
        lock (tokens)
        {
            tokens.Remove(token);
        }
    }

    public void ClearRequests() => requests.Clear();

    public async ValueTask DisposeAsync()
    {
        if (bookmarkTimer is not null)
        {
            await bookmarkTimer.DisposeAsync().ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        Store.CloseWatches();
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private static ApiPath Parse(string path) => ApiPath.TryParse(path) ?? throw new ArgumentException($"not an API path: {path}", nameof(path));

    private bool HasStatusSubresource(string resourceKey)
    {
        lock (statusSubresources)
        {
            return statusSubresources.Contains(resourceKey);
        }
    }

    private bool Authorize(string? token)
    {
        lock (tokens)
        {
            return Options.BearerToken is null || (token is not null && tokens.Contains(token));
        }
    }

    private void Record(RecordedRequest request) => requests.Enqueue(request);
}
