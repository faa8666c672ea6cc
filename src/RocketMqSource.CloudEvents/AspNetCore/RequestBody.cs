using Microsoft.AspNetCore.Http;

namespace RocketMqSource.CloudEvents.AspNetCore;

/// <summary>Reads a whole request body into one array, sized by Content-Length when known.</summary>
internal static class RequestBody
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }
}
