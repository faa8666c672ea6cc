using RocketMqSource.RocketMq.Internal;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class IdentityTests
{
    private static readonly byte[] Mac = [0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E];

    [Fact]
    public void Message_id_follows_the_v1_layout()
    {
        // Expected value assembled independently (python): "01" + MAC + pid&0xFFFF + seconds + sequence.
        var clock = new DateTimeOffset(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);
        var generator = new MessageIdGenerator(Mac, 0x12345, () => clock);

        Assert.Equal("01001A2B3C4D5E23450B13681000000000", generator.Next());
    }

    [Fact]
    public void Message_id_sequence_increases_by_one_and_ids_are_unique_under_concurrency()
    {
        var generator = new MessageIdGenerator(Mac, 1, () => MessageIdGenerator.Epoch);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 1000, _ => ids.Add(generator.Next()));

        var sequences = ids.Select(id => Convert.ToUInt32(id[^8..], 16)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (uint)i), sequences);
        Assert.All(ids, id => Assert.Matches("^01[0-9A-F]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Message_id_wraps_pid_and_seconds_to_their_low_bytes()
    {
        var id = MessageIdGenerator.Format(Mac, 0x7FFF_ABCD, 0x1_2345_6789, 0xFFFF_FFFF);
        Assert.Equal("01" + "001A2B3C4D5E" + "ABCD" + "23456789" + "FFFFFFFF", id);
    }

    [Fact]
    public void Shared_generator_uses_the_current_time_since_2021()
    {
        var id = MessageIdGenerator.Shared.Next();
        var seconds = Convert.ToUInt32(id[18..26], 16);
        var expected = (DateTimeOffset.UtcNow - MessageIdGenerator.Epoch).TotalSeconds;
        Assert.InRange(seconds, expected - 60, expected + 1);
        Assert.Equal((Environment.ProcessId & 0xFFFF).ToString("X4", System.Globalization.CultureInfo.InvariantCulture), id[14..18]);
    }

    [Fact]
    public void Client_id_is_host_pid_index_and_base36_epoch_millis()
    {
        Assert.Equal("myhost@42@7@loyw3v28", ClientIdentity.Format("myhost", 42, 7, 1_700_000_000_000));
        Assert.Equal("0", ClientIdentity.ToBase36(0));
        Assert.Equal("z", ClientIdentity.ToBase36(35));
        Assert.Equal("10", ClientIdentity.ToBase36(36));
    }

    [Fact]
    public void New_client_ids_differ_by_index()
    {
        var first = ClientIdentity.NewClientId().Split('@');
        var second = ClientIdentity.NewClientId().Split('@');
        Assert.Equal(4, first.Length);
        Assert.Equal(first[0], second[0]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), first[1]);
        Assert.True(int.Parse(second[2], System.Globalization.CultureInfo.InvariantCulture) > int.Parse(first[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
