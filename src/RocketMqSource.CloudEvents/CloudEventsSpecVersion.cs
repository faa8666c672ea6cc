namespace RocketMqSource.CloudEvents;

/// <summary>The CloudEvents specification version this library implements.</summary>
public static class CloudEventsSpecVersion
{
    public const string V1_0 = "1.0";
}
