using RocketMqSource.Emulator.Filters;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Tests.Unit;

public class FilterTests
{
    private static readonly Dictionary<string, string> Properties = new()
    {
        ["region"] = "eu",
        ["amount"] = "250",
        ["ratio"] = "0.5",
        ["vip"] = "true",
        ["name"] = "O'Brien",
    };

    [Theory]
    [InlineData("*", "paid", true)]
    [InlineData("", "paid", true)]
    [InlineData("*", null, true)]
    [InlineData("paid", "paid", true)]
    [InlineData("paid", "Paid", false)]
    [InlineData("created || paid", "paid", true)]
    [InlineData(" created ||paid ", "paid", true)]
    [InlineData("created||shipped", "paid", false)]
    [InlineData("paid", null, false)]
    public void Tag_filter_matches_exact_tags_split_on_double_bar(string expression, string? tag, bool expected) =>
        Assert.Equal(expected, TagFilter.Parse(expression).Matches(tag, Properties));

    [Theory]
    [InlineData("region = 'eu'", true)]
    [InlineData("region <> 'eu'", false)]
    [InlineData("region = 'EU'", false)]
    [InlineData("amount > 100", true)]
    [InlineData("amount >= 250", true)]
    [InlineData("amount < 250", false)]
    [InlineData("amount <= 250.0", true)]
    [InlineData("ratio < 1", true)]
    [InlineData("amount BETWEEN 100 AND 300", true)]
    [InlineData("amount NOT BETWEEN 100 AND 300", false)]
    [InlineData("region IN ('us', 'eu')", true)]
    [InlineData("region NOT IN ('us', 'eu')", false)]
    [InlineData("missing IS NULL", true)]
    [InlineData("region IS NOT NULL", true)]
    [InlineData("missing = 'x'", false)]
    [InlineData("NOT (missing = 'x')", false)]
    [InlineData("missing > 1 OR region = 'eu'", true)]
    [InlineData("region = 'eu' AND (amount > 1000 OR vip = TRUE)", true)]
    [InlineData("region = 'eu' AND amount > 1000", false)]
    [InlineData("not region = 'us'", true)]
    [InlineData("TAGS = 'paid'", true)]
    [InlineData("TAGS IN ('created', 'shipped')", false)]
    [InlineData("name = 'O''Brien'", true)]
    [InlineData("region > 5", false)]
    [InlineData("vip", true)]
    [InlineData("FALSE OR TRUE", true)]
    public void Sql92_filter_evaluates_the_rocketmq_subset(string expression, bool expected) =>
        Assert.Equal(expected, Sql92Filter.Parse(expression).Matches("paid", Properties));

    [Theory]
    [InlineData("")]
    [InlineData("a = = 1")]
    [InlineData("a = 'open")]
    [InlineData("(a = 1")]
    [InlineData("a BETWEEN 1")]
    [InlineData("a IN ()")]
    [InlineData("a IS 5")]
    [InlineData("a = 1 b")]
    [InlineData("a # 1")]
    public void Malformed_sql92_is_refused(string expression) =>
        Assert.Throws<FilterExpressionException>(() => Sql92Filter.Parse(expression));

    [Fact]
    public void Wire_filter_types_choose_the_evaluator()
    {
        var sql = MessageFilter.Compile(new FilterExpression { Type = FilterType.Sql, Expression = "amount > 100" });
        var tag = MessageFilter.Compile(new FilterExpression { Type = FilterType.Tag, Expression = "paid" });

        Assert.True(sql.Matches(null, Properties));
        Assert.False(tag.Matches(null, Properties));
        Assert.True(MessageFilter.Compile(null).Matches(null, Properties));
    }
}
