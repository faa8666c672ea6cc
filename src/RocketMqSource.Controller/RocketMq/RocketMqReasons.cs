namespace RocketMqSource.Controller.RocketMq;

/// <summary>The RocketMQReady condition and its reasons: each names what a person fixes.</summary>
internal static class RocketMqReasons
{
    public const string ConditionType = "RocketMQReady";

    public const string Reachable = "TopicRouted";
    public const string ProxyUnreachable = "ProxyUnreachable";
    public const string TlsHandshakeFailed = "TlsHandshakeFailed";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string TopicNotFound = "TopicNotFound";
    public const string ProxyError = "ProxyError";
    public const string NotChecked = "NotChecked";
}
