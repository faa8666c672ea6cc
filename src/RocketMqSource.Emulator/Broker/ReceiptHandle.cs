using System.Globalization;
using System.Text;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// The opaque receipt handle given with each delivery: which topic/queue/offset it is for and the
/// sequence that makes earlier handles of the same message invalid.
/// </summary>
internal readonly record struct ReceiptHandle(string Topic, int QueueId, long Offset, long Sequence)
{
    private const string Version = "e1";

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Version}:{QueueId}:{Offset}:{Sequence}:{Topic}");
        return Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a handle; anything that is not one of ours is malformed (the proxy answers INTERNAL_SERVER_ERROR).</summary>
    public static ReceiptHandle Decode(string? handle)
    {
        try
        {
            var base64 = (handle ?? string.Empty).Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split(':', 5);
            if (parts.Length == 5 && parts[0] == Version)
            {
                return new ReceiptHandle(
                    parts[4],
                    int.Parse(parts[1], CultureInfo.InvariantCulture),
                    long.Parse(parts[2], CultureInfo.InvariantCulture),
                    long.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
        }

        throw new ProxyException(Code.InternalServerError, "receipt handle is malformed");
    }
}
