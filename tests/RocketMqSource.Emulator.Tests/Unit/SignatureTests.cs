using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;

namespace RocketMqSource.Emulator.Tests.Unit;

/// <summary>The proxy's admission check; the signature rules themselves are tested with RequestSigner in the client's tests.</summary>
public class SignatureTests
{
    private const string DateTime = "20260101T120000Z";
    private readonly ProxyService _service = new(new RocketMqEmulatorOptions { AccessKey = "AK", SecretKey = "SK" }, new EmulatedBroker(8, TimeProvider.System));
    private readonly QueryRouteRequest _request = new() { Topic = Wire.Resource("orders") };

    [Fact]
    public void With_credentials_configured_only_calls_signed_with_them_are_admitted()
    {
        var unsigned = _service.QueryRoute(new CallContext("client"), _request);
        var signed = _service.QueryRoute(new CallContext("client", RequestSigner.Authorization("AK", "SK", DateTime), DateTime), _request);
        var wrongSecret = _service.QueryRoute(new CallContext("client", RequestSigner.Authorization("AK", "WRONG", DateTime), DateTime), _request);
        var otherDate = _service.QueryRoute(new CallContext("client", RequestSigner.Authorization("AK", "SK", DateTime), "20260101T120001Z"), _request);

        Assert.Equal(Code.Unauthorized, unsigned.Status.Code);
        Assert.Equal(Code.Ok, signed.Status.Code);
        Assert.Equal(Code.Unauthorized, wrongSecret.Status.Code);
        Assert.Equal(Code.Unauthorized, otherDate.Status.Code);
    }

    [Fact]
    public void Without_credentials_configured_unsigned_calls_are_admitted()
    {
        var service = new ProxyService(new RocketMqEmulatorOptions(), new EmulatedBroker(8, TimeProvider.System));

        Assert.Equal(Code.Ok, service.QueryRoute(new CallContext("client"), _request).Status.Code);
    }
}
