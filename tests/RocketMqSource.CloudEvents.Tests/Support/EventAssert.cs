using System.Text.Json;

namespace RocketMqSource.CloudEvents.Tests.Support;

/// <summary>Attribute-by-attribute (name, type, canonical value) and data comparison of two events.</summary>
internal static class EventAssert
{
    public static void Equivalent(CloudEvent expected, CloudEvent actual)
    {
        var problem = Difference(expected, actual);
        Assert.True(problem is null, problem);
    }

    /// <summary>The first difference between two events, or null when they are the same event.</summary>
    public static string? Difference(CloudEvent expected, CloudEvent actual)
    {
        var left = Describe(expected);
        var right = Describe(actual);
        foreach (var (name, value) in left)
        {
            if (!right.TryGetValue(name, out var other))
            {
                return $"attribute '{name}' ({value}) is missing";
            }

            if (other != value)
            {
                return $"attribute '{name}': expected {value} but got {other}";
            }
        }

        foreach (var name in right.Keys.Where(n => !left.ContainsKey(n)))
        {
            return $"unexpected attribute '{name}' ({right[name]})";
        }

        return DataDifference(expected.Data, actual.Data);
    }

    public static byte[]? AsBytes(object? data) => data as byte[];

    private static Dictionary<string, string> Describe(CloudEvent cloudEvent) =>
        cloudEvent.GetPopulatedAttributes().ToDictionary(
            a => a.Key.Name,
            a => $"{a.Key.Type.Name}:{a.Key.Format(a.Value)}");

    private static string? DataDifference(object? expected, object? actual)
    {
        switch (expected)
        {
            case null:
                return actual is null ? null : $"expected no data but got {actual}";
            case string text:
                return actual is string other && other == text ? null : $"expected string data '{text}' but got {Show(actual)}";
            case JsonElement element:
                return actual is JsonElement otherElement && JsonElement.DeepEquals(element, otherElement)
                    ? null
                    : $"expected JSON data {element.GetRawText()} but got {Show(actual)}";
            default:
                var bytes = AsBytes(expected) ?? throw new ArgumentException($"unexpected data type {expected.GetType()}");
                return AsBytes(actual) is { } otherBytes && otherBytes.AsSpan().SequenceEqual(bytes)
                    ? null
                    : $"expected bytes {Convert.ToHexString(bytes)} but got {Show(actual)}";
        }
    }

    private static string Show(object? data) => data switch
    {
        null => "no data",
        string s => $"string '{s}'",
        JsonElement e => $"JSON {e.GetRawText()}",
        _ when AsBytes(data) is { } b => $"bytes {Convert.ToHexString(b)}",
        _ => data.GetType().Name,
    };
}
