using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RocketMqSource.RocketMq.Signing;

/// <summary>
/// MQv2-HMAC-SHA1 request signing (pure): the signature is the uppercase hex HMAC-SHA1 of the
/// exact x-mq-date-time value, keyed with the access secret.
/// </summary>
internal static class RequestSigner
{
    public const string Algorithm = "MQv2-HMAC-SHA1";
    public const string SignedHeaders = "x-mq-date-time";
    private const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The x-mq-date-time value for an instant (always rendered in UTC).</summary>
    public static string FormatDateTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string Sign(string accessSecret, string dateTime)
    {
        var signature = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessSecret), Encoding.UTF8.GetBytes(dateTime));
        return Convert.ToHexString(signature);
    }

    /// <summary>The authorization header value.</summary>
    public static string Authorization(string accessKey, string accessSecret, string dateTime) =>
        $"{Algorithm} Credential={accessKey}, SignedHeaders={SignedHeaders}, Signature={Sign(accessSecret, dateTime)}";
}
