using System.Runtime.CompilerServices;

namespace RocketMqSource.Kubernetes;

public sealed partial class KubernetesClient
{
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ResourceType type,
        string? @namespace = null,
        WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class
    {
        options ??= new WatchOptions();
        var url = ResourceUrl.WithQuery(
            ResourceUrl.Path(type, @namespace),
            ("watch", true),
            ("labelSelector", options.LabelSelector),
            ("fieldSelector", options.FieldSelector),
            ("resourceVersion", options.ResourceVersion),
            ("allowWatchBookmarks", options.AllowWatchBookmarks ? true : null),
            ("timeoutSeconds", options.TimeoutSeconds));

        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);

        var typeInfo = TypeInfo<T>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                yield return WatchLineParser.Parse(line, typeInfo);
            }
        }
    }
}
