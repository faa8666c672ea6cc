using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>Maps HTTP requests onto the store and its answers onto API-server responses.</summary>
internal sealed class ApiServerEndpoints(
    ApiObjectStore store,
    TimeProvider time,
    Func<string?, bool> authorize,
    Action<RecordedRequest> record,
    Func<Func<RecordedRequest, int?>?> failureInjector,
    CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
        var recorded = new RecordedRequest(
            request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", request.ContentType,
            body.Length == 0 ? null : body, token is not null, certificate?.Subject) { Accept = request.Headers.Accept.ToString() is { Length: > 0 } accept ? accept : null };
        record(recorded);

        try
        {
            if (!authorize(token))
            {
                throw new ApiError(401, "Unauthorized", "Unauthorized");
            }

            if (failureInjector()?.Invoke(recorded) is { } injected)
            {
                throw new ApiError(injected, injected == 500 ? "InternalError" : "Injected", $"injected failure {injected}");
            }

            var path = ApiPath.TryParse(recorded.Path) ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            await DispatchAsync(context, path, body).ConfigureAwait(false);
        }
        catch (ApiError e)
        {
            await WriteAsync(context, e.Code, e.ToStatus()).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteAsync(context, 400, ApiError.BadRequest($"invalid JSON: {e.Message}").ToStatus()).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext context, ApiPath path, string body)
    {
        var query = context.Request.Query;
        var shape = context.Request.Method == "GET" ? MetadataProjection.Negotiate(context.Request.Headers.Accept.ToString()) : ResponseShape.Full;
        switch (context.Request.Method)
        {
            case "GET" when path.Name is null && query["watch"] is ["true" or "1"]:
                MetadataProjection.EnsureWatchable(shape);
                await WatchAsync(context, path, shape).ConfigureAwait(false);
                break;
            case "GET" when path.Name is null:
                await ListAsync(context, path, shape).ConfigureAwait(false);
                break;
            case "GET":
                await WriteAsync(context, 200, MetadataProjection.Object(store.Get(path), shape)).ConfigureAwait(false);
                break;
            case "POST" when path is { Plural: "serviceaccounts", Subresource: "token", Name: { } account }:
                await WriteAsync(context, 201, TokenRequests.Issue(store, path, account, ParseObject(body), time.GetUtcNow())).ConfigureAwait(false);
                break;
            case "POST" when path.Name is null:
                await WriteAsync(context, 201, store.Create(path, ParseObject(body))).ConfigureAwait(false);
                break;
            case "PUT" when path.Name is not null:
                await WriteAsync(context, 200, store.Replace(path, ParseObject(body))).ConfigureAwait(false);
                break;
            case "PATCH" when path.Name is not null:
                var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                var patch = JsonNode.Parse(body) ?? throw ApiError.BadRequest("empty patch");
                await WriteAsync(context, 200, store.Patch(path, mediaType, patch)).ConfigureAwait(false);
                break;
            case "DELETE" when path.Name is not null:
                var options = body.Length == 0 ? null : JsonNode.Parse(body);
                var policy = ObjectRules.Text(options?["propagationPolicy"]) ?? query["propagationPolicy"].ToString();
                var precondition = ObjectRules.Text(options?["preconditions"]?["resourceVersion"]);
                await WriteAsync(context, 200, store.Delete(path, policy.Length == 0 ? null : policy, precondition)).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"{context.Request.Method} is not supported on {context.Request.Path}");
        }
    }

    private async Task ListAsync(HttpContext context, ApiPath path, ResponseShape shape)
    {
        var query = context.Request.Query;
        var (items, revision) = store.List(path, ParseLabels(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        var kind = store.KindOf(path.ResourceKey);
        var list = MetadataProjection.List(kind?.Kind ?? "", path.ApiVersion, revision.ToString(CultureInfo.InvariantCulture), items, shape);
        await WriteAsync(context, 200, list).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, ApiPath path, ResponseShape shape)
    {
        var query = context.Request.Query;
        var watch = store.Watch(
            path,
            ParseLabels(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"]),
            query["resourceVersion"].ToString(),
            query["allowWatchBookmarks"] is ["true" or "1"]);

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            end.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(end.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(end.Token).ConfigureAwait(false);
            await foreach (var line in watch.Lines.ReadAllAsync(end.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(MetadataProjection.WatchLine(line, shape) + "\n", end.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(end.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or server stopping: the stream just ends.
        }
        finally
        {
            store.Unwatch(watch);
        }
    }

    private static LabelSelector ParseLabels(string? text)
    {
        try
        {
            return LabelSelector.Parse(text);
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
    }

    private static JsonObject ParseObject(string body) =>
        JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the body must be a JSON object");

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
