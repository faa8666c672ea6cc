using System.Text;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Delivery;

public class DeadLetterExtensionsTests
{
    private static readonly Uri Sink = new("http://order-service.food.svc.cluster.local/orders");

    [Fact]
    public void Carry_destination_code_and_base64_body()
    {
        var extensions = DeadLetterExtensions.For(Sink, new AttemptResult(422, Encoding.UTF8.GetBytes("bad order"), null, null));

        Assert.Equal("http://order-service.food.svc.cluster.local/orders", extensions["knativeerrordest"]);
        Assert.Equal("422", extensions["knativeerrorcode"]);
        Assert.Equal("bad order", Encoding.UTF8.GetString(Convert.FromBase64String(extensions["knativeerrordata"])));
    }

    [Fact]
    public void Body_is_cut_to_1024_bytes()
    {
        var body = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

        var data = Convert.FromBase64String(DeadLetterExtensions.For(Sink, new AttemptResult(500, body, null, null))["knativeerrordata"]);

        Assert.Equal(body.Take(1024), data);
    }

    [Fact]
    public void Without_a_response_there_is_no_code_and_the_error_in_words_is_the_data()
    {
        var extensions = DeadLetterExtensions.For(Sink, AttemptResult.NoResponse("connection refused"));

        Assert.Equal(["knativeerrordest", "knativeerrordata"], extensions.Keys);
        Assert.Equal("connection refused", Encoding.UTF8.GetString(Convert.FromBase64String(extensions["knativeerrordata"])));
    }

    [Fact]
    public void Empty_body_gives_no_data() =>
        Assert.False(DeadLetterExtensions.For(Sink, new AttemptResult(400, ReadOnlyMemory<byte>.Empty, null, null)).ContainsKey("knativeerrordata"));
}
