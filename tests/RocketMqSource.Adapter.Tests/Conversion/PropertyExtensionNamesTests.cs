using RocketMqSource.Adapter.Conversion;

namespace RocketMqSource.Adapter.Tests.Conversion;

public class PropertyExtensionNamesTests
{
    [Theory]
    [InlineData("region", "rocketmqpropregion")]
    [InlineData("Order-Id", "rocketmqproporderid")]
    [InlineData("x_trace.ID_2", "rocketmqpropxtraceid2")]
    [InlineData("日本", "rocketmqprop")]
    public void Keys_are_lower_cased_alphanumerics_under_the_prefix(string key, string expected) =>
        Assert.Equal(expected, PropertyExtensionNames.For([key])[key]);

    [Fact]
    public void Collisions_go_to_the_ordinally_smallest_key_and_suffixes_skip_taken_names()
    {
        var names = PropertyExtensionNames.For(["order_id", "ORDER-ID", "orderid2", "orderId"]);

        // Ordinal order: "ORDER-ID" < "orderId" < "order_id" < "orderid2".
        Assert.Equal("rocketmqproporderid", names["ORDER-ID"]);
        Assert.Equal("rocketmqproporderid2", names["orderid2"]);
        Assert.Equal("rocketmqproporderid3", names["orderId"]);
        Assert.Equal("rocketmqproporderid4", names["order_id"]);
    }

    [Fact]
    public void Mapping_does_not_depend_on_the_order_keys_come_in()
    {
        string[] keys = ["b-x", "B_X", "bx", "a", "A"];
        var forward = PropertyExtensionNames.For(keys);
        var backward = PropertyExtensionNames.For(keys.Reverse());

        Assert.Equal(forward.OrderBy(p => p.Key, StringComparer.Ordinal), backward.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(keys.Length, forward.Values.Distinct().Count());
    }
}
