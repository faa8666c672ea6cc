using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace RocketMqSource.Contract.Tests;

/// <summary>
/// ceOverrides extension names: the CloudEvents MUSTs (lower-case a-z and 0-9; never a core
/// attribute or data), none of its SHOULDs (any length, as Knative's own validation allows).
/// </summary>
public class ExtensionNamesTests
{
    [Theory]
    [InlineData("team")]
    [InlineData("x1")]
    [InlineData("0")]
    [InlineData("averyveryverylongextensionname")]
    public void Lower_case_letters_and_digits_of_any_length_are_names(string name) => Assert.Null(ExtensionNames.Problem(name));

    [Theory]
    [InlineData("", "must be one or more lower-case letters or digits")]
    [InlineData("Team", "must be one or more lower-case letters or digits")]
    [InlineData("data_base64", "must be one or more lower-case letters or digits")]
    [InlineData("dash-ed", "must be one or more lower-case letters or digits")]
    [InlineData("type", "is a core CloudEvents attribute")]
    [InlineData("specversion", "is a core CloudEvents attribute")]
    [InlineData("data", "is a core CloudEvents attribute")]
    public void Other_names_are_refused_with_the_reason(string name, string reason) =>
        Assert.Contains(reason, ExtensionNames.Problem(name), StringComparison.Ordinal);

    [Fact]
    public void A_name_is_allowed_exactly_when_it_matches_the_spec_and_is_no_core_attribute()
    {
        var names = Gen.Elements("a", "z", "0", "9", "A", "_", "-", ".", "é", " ", "type", "id", "data").ArrayOf().Select(string.Concat);
        Prop.ForAll(Arb.From(names), name =>
        {
            var allowed = Regex.IsMatch(name, "^[a-z0-9]+$") && !ExtensionNames.Reserved.Contains(name);
            Assert.Equal(allowed, ExtensionNames.Problem(name) is null);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
