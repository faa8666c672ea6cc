using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RocketMqSource.RocketMq.Signing;

/// <summary>
/// MQv2-HMAC-SHA1 request signing and its check (pure): the signature is the uppercase hex
/// HMAC-SHA1 of the exact x-mq-date-time value, keyed with the access secret. The client signs
/// with it; the emulator verifies with it, so both sides compute the signature one way.
/// </summary>
internal static class RequestSigner
{
    public const string Algorithm = "MQv2-HMAC-SHA1";
    public const string SignedHeaders = "x-mq-date-time";
    private const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The x-mq-date-time value for an instant (always rendered in UTC).</summary>
    public static string FormatDateTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string Sign(string accessSecret, string dateTime) => Convert.ToHexString(Signature(accessSecret, dateTime));

    /// <summary>The authorization header value.</summary>
    public static string Authorization(string accessKey, string accessSecret, string dateTime) =>
        $"{Algorithm} Credential={accessKey}, SignedHeaders={SignedHeaders}, Signature={Sign(accessSecret, dateTime)}";

    /// <summary>
    /// True when <paramref name="authorization"/> names <paramref name="accessKey"/> and carries the
    /// signature of <paramref name="dateTime"/> made with <paramref name="accessSecret"/>. As the
    /// proxy does: hex compared case-insensitively, no clock-skew check.
    /// </summary>
    public static bool Verify(string? authorization, string? dateTime, string accessKey, string accessSecret)
    {
        if (string.IsNullOrEmpty(authorization) || string.IsNullOrEmpty(dateTime)
            || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = authorization[Algorithm.Length..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("Signature", out var signature)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential), Encoding.UTF8.GetBytes(accessKey)))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Signature(accessSecret, dateTime), presented);
    }

    private static byte[] Signature(string accessSecret, string dateTime) =>
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessSecret), Encoding.UTF8.GetBytes(dateTime));
}
