using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>
/// The RocketMQSource samples against the CRD's own schema: what the API server would accept,
/// refuse and default on `kubectl apply`.
/// </summary>
public sealed class CrdSampleTests(SampleValidation samples) : IClassFixture<SampleValidation>
{
    public static TheoryData<string> ValidSamples => Sample.Names("valid");

    public static TheoryData<string> InvalidSamples => Sample.Names("invalid");

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void A_valid_sample_passes_schema_and_CEL_rules(string name)
    {
        var verdict = samples.VerdictOf("valid/" + name);

        Assert.True(verdict.Valid, $"{name}.yaml was refused:\n{string.Join('\n', verdict.Errors)}");
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void An_invalid_sample_fails_for_the_stated_reason_only(string name)
    {
        var sample = samples.Invalid[name];
        var verdict = samples.VerdictOf("invalid/" + name);
        var errors = verdict.Errors.Select(e => e.ToString()).ToList();

        Assert.NotEmpty(sample.Expectations);
        Assert.False(verdict.Valid, $"{name}.yaml was accepted");
        foreach (var expected in sample.Expectations)
        {
            Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)),
                $"{name}.yaml: no error starts with '{expected}'; errors:\n{string.Join('\n', errors)}");
        }

        // Nothing else is wrong with the sample, so it proves exactly the rule it names.
        var unexpected = errors.Where(e => !sample.Expectations.Any(x => e.StartsWith(x, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, $"{name}.yaml also fails for:\n{string.Join('\n', unexpected)}");
    }

    [Fact]
    public void Every_CEL_rule_of_the_CRD_is_broken_by_some_invalid_sample()
    {
        var expectations = samples.Invalid.Values.SelectMany(s => s.Expectations).ToList();

        Assert.NotEmpty(samples.Result.Rules);
        foreach (var rule in samples.Result.Rules)
        {
            Assert.True(expectations.Any(x => x == $"{rule.Path}: {rule.Message}" || $"{rule.Path}: {rule.Message}".StartsWith(x, StringComparison.Ordinal)),
                $"no invalid sample breaks the rule at {rule.Path}: {rule.Rule} ({rule.Message})");
        }
    }

    [Fact]
    public void Defaults_fill_every_omitted_consumer_setting()
    {
        var spec = samples.VerdictOf("valid/minimal").Defaulted["spec"]!;

        Assert.Equal("TAG", (string?)spec["filter"]?["type"]);
        Assert.Equal("*", (string?)spec["filter"]?["expression"]);
        Assert.False((bool?)spec["tls"]);
        Assert.Equal(32, (int?)spec["batchSize"]);
        Assert.Equal("30s", (string?)spec["invisibleDuration"]);
        Assert.Equal("20s", (string?)spec["awaitDuration"]);
        Assert.Equal(64, (int?)spec["maxInFlight"]);
        Assert.Equal("ordered", (string?)spec["ordering"]);
        // Unset replicas are not defaulted: they leave the adapter's count to whoever scales it.
        Assert.Null(spec["replicas"]);
        Assert.Null(spec["delivery"]);
    }

    [Fact]
    public void Defaults_never_replace_values_that_are_set()
    {
        var original = (JsonObject)samples.Valid["full"].Manifest.Document["spec"]!;
        var defaulted = samples.VerdictOf("valid/full").Defaulted["spec"]!;

        Assert.True(JsonNode.DeepEquals(original, defaulted), $"defaulting changed the full sample:\n{defaulted.ToJsonString()}");
    }

    [Fact]
    public void A_SQL92_filter_keeps_its_type_when_only_the_expression_is_defaulted_away()
    {
        var spec = samples.VerdictOf("invalid/filter-sql92-without-expression").Defaulted["spec"]!;

        Assert.Equal("SQL92", (string?)spec["filter"]?["type"]);
        Assert.Equal("*", (string?)spec["filter"]?["expression"]);
    }
}
