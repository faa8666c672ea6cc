using RocketMqSource.Adapter.Consuming;

namespace RocketMqSource.Adapter.Tests.Consuming;

public class HandBackPolicyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(11, 1024)]
    [InlineData(14, 7200)]
    [InlineData(1000, 7200)]
    public void Delay_doubles_per_delivery_attempt_up_to_two_hours(int deliveryAttempt, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), HandBackPolicy.DelayFor(deliveryAttempt, TimeSpan.FromSeconds(1)));
}
