using Microsoft.AspNetCore.Http;

namespace RocketMqSource.CloudEvents.Tests.Support;

/// <summary>Turns client-side HttpContent into a server-side ASP.NET Core request, without sockets.</summary>
internal static class HttpMessages
{
    public static async Task<HttpRequest> ToRequestAsync(HttpContent content)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, values) in content.Headers.NonValidated)
        {
            context.Request.Headers[name] = values.ToString();
        }

        var body = await content.ReadAsByteArrayAsync();
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        return context.Request;
    }

    public static HttpRequest Request(string? contentType, byte[] body, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        return context.Request;
    }

    public static string? Header(HttpContent content, string name) =>
        content.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
