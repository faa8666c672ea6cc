using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using RocketMqSource.Contract;

namespace RocketMqSource.Controller.Tests;

/// <summary>
/// The CRD's schema states the contract's bounds, defaults and words (RocketMqSource.Contract), so
/// the API server refuses what the controller and the adapter would refuse, and defaults to what
/// the adapter defaults to.
/// </summary>
public sealed partial class CrdContractTests
{
    private static readonly JsonNode Spec = Manifest.Crd().Document["spec"]!["versions"]!.AsArray()
        .Single(v => (string?)v!["name"] == "v1alpha1")!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!;

    public static TheoryData<string, string> Integers => new()
    {
        { "batchSize", nameof(Limits.BatchSize) },
        { "maxInFlight", nameof(Limits.MaxInFlight) },
        { "delivery.retry", nameof(Limits.Retry) },
    };

    [Theory]
    [MemberData(nameof(Integers))]
    public void Integer_bounds_and_defaults_are_the_contracts(string field, string limit)
    {
        var range = (IntRange)typeof(Limits).GetField(limit)!.GetValue(null)!;
        var schema = Field(field);

        Assert.Equal((long?)range.Min, (long?)schema["minimum"]);
        Assert.Equal((long?)range.Max, (long?)schema["maximum"]);
        // Delivery settings are Knative's: unset, the adapter's default applies.
        Assert.Equal(field.StartsWith("delivery.", StringComparison.Ordinal) ? null : (long?)range.Default, (long?)schema["default"]);
    }

    [Theory]
    [InlineData("invisibleDuration", nameof(Limits.InvisibleDuration))]
    [InlineData("awaitDuration", nameof(Limits.AwaitDuration))]
    public void Duration_bounds_and_defaults_are_the_contracts(string field, string limit)
    {
        var range = (DurationRange)typeof(Limits).GetField(limit)!.GetValue(null)!;
        var schema = Field(field);
        var rule = (string)schema["x-kubernetes-validations"]![0]!["rule"]!;

        Assert.Contains($"duration(self) >= duration('{Durations.Format(range.Min)}')", rule, StringComparison.Ordinal);
        Assert.Contains($"duration(self) <= duration('{Durations.Format(range.Max)}')", rule, StringComparison.Ordinal);
        Assert.Equal(Durations.Format(range.Default), (string?)schema["default"]);
    }

    [Fact]
    public void Enumerated_words_are_the_contracts()
    {
        Assert.Equal(SettingWords.FilterTypes.Order(), Field("filter.type")["enum"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal(SettingWords.TagFilter, (string?)Field("filter.type")["default"]);
        Assert.Equal(SettingWords.AllTags, (string?)Field("filter.expression")["default"]);
        Assert.Equal(SettingWords.Orderings.Order(), Field("ordering")["enum"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal(SettingWords.BackoffPolicies.Order(), Field("delivery.backoffPolicy")["enum"]!.AsArray().Select(v => (string)v!).Order());
    }

    [Fact]
    public void Extension_names_follow_the_contracts_rule()
    {
        var rules = Field("ceOverrides.extensions")["x-kubernetes-validations"]!.AsArray().Select(r => (string)r!["rule"]!).ToList();

        Assert.Contains("self.all(k, k.matches('^[a-z0-9]+$'))", rules);
        var reserved = rules.Select(r => ReservedList().Match(r)).Single(m => m.Success).Groups["names"].Value;
        Assert.Equal(ExtensionNames.Reserved.Order(), Regex.Matches(reserved, "'([a-z]+)'").Select(m => m.Groups[1].Value).Order());
    }

    /// <summary>A spec field's schema by its dotted path (objects' properties).</summary>
    private static JsonNode Field(string path) =>
        path.Split('.').Aggregate(Spec, (node, name) => node is JsonObject { } o && o.ContainsKey("properties") ? o["properties"]![name]! : node[name]!);

    [GeneratedRegex(@"!\(k in \[(?<names>[^\]]+)\]\)")]
    private static partial Regex ReservedList();
}
