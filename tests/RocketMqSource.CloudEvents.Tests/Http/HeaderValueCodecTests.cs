using RocketMqSource.CloudEvents.Http;

namespace RocketMqSource.CloudEvents.Tests.Http;

public class HeaderValueCodecTests
{
    [Theory]
    [InlineData("plain-ASCII_value.1~!#$&'()*+,/:;<=>?@[]^`{|}", "plain-ASCII_value.1~!#$&'()*+,/:;<=>?@[]^`{|}")]
    [InlineData("a b", "a%20b")]
    [InlineData("say \"hi\"", "say%20%22hi%22")]
    [InlineData("100%", "100%25")]
    [InlineData("Grüße", "Gr%C3%BC%C3%9Fe")]
    [InlineData("€", "%E2%82%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("\u00A0nbsp", "%C2%A0nbsp")]
    public void Space_quote_percent_and_non_printable_ASCII_are_percent_encoded_as_UTF_8(string value, string header)
    {
        Assert.Equal(header, HeaderValueCodec.Encode(value));
        Assert.Equal(value, HeaderValueCodec.Decode(header));
    }

    [Fact]
    public void Values_that_need_no_encoding_are_returned_as_is()
    {
        var value = "order-42";

        Assert.Same(value, HeaderValueCodec.Encode(value));
        Assert.Same(value, HeaderValueCodec.Decode(value));
    }

    [Fact]
    public void Decoding_accepts_lower_case_hex_and_unencoded_characters()
    {
        Assert.Equal("ü ok", HeaderValueCodec.Decode("%c3%bc ok"));
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%FF")]
    [InlineData("%C3")]
    public void Broken_percent_encoding_or_invalid_UTF_8_is_refused(string header)
    {
        Assert.Throws<FormatException>(() => HeaderValueCodec.Decode(header));
    }
}
