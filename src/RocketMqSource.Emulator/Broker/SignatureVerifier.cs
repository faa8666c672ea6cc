using System.Security.Cryptography;
using System.Text;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// Checks the MQv2-HMAC-SHA1 authorization header: the signature is the hex HMAC-SHA1 of the
/// exact x-mq-date-time value keyed with the secret key (hex compared case-insensitively, no
/// clock-skew check, as the proxy does).
/// </summary>
internal sealed class SignatureVerifier(string accessKey, string secretKey)
{
    private const string Scheme = "MQv2-HMAC-SHA1";

    /// <summary>True when the request carries a signature made with our credentials.</summary>
    public bool Verify(string? authorization, string? dateTime)
    {
        if (string.IsNullOrEmpty(authorization) || string.IsNullOrEmpty(dateTime)
            || !authorization.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = authorization[Scheme.Length..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);
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

        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(dateTime));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>The signature a client computes (uppercase hex), for tests and tools.</summary>
    public static string Sign(string secretKey, string dateTime) =>
        Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(dateTime)));
}
