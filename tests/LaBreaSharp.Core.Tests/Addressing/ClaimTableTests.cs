using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Tests.Addressing;

public class ClaimTableTests
{
    private const long Second = Time.Second;

    [Fact]
    public void A_record_is_20_bytes_and_the_capacity_is_whole_buckets()
    {
        Assert.Equal(20, Unsafe.SizeOf<ClaimRecord>());
        Assert.Equal(8, new ClaimTable(1, 1).Capacity);
        Assert.Equal(65_536, new ClaimTable(65_536, 1).Capacity);
        Assert.Equal(131_072, new ClaimTable(65_537, 1).Capacity); // rounded up to a power of two of buckets
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClaimTable(0, 1));
    }

    [Fact]
    public void Set_replaces_an_address_record_and_the_counts_follow()
    {
        var table = new ClaimTable(64, 7);
        table.Set(10, ClaimState.Pending, 1 * Second, requester: 99);
        Assert.Equal((1, 1, 0, 0), (table.Count, table.PendingCount, table.ClaimedCount, table.AliveCount));
        table.Set(10, ClaimState.Claimed, 5 * Second);
        Assert.Equal((1, 0, 1, 0), (table.Count, table.PendingCount, table.ClaimedCount, table.AliveCount));
        Assert.Equal(ClaimState.Claimed, table.StateOf(10, out long since));
        Assert.Equal(5 * Second, since);
        table.Set(10, ClaimState.Alive, 6 * Second);
        Assert.Equal((1, 0, 0, 1), (table.Count, table.PendingCount, table.ClaimedCount, table.AliveCount));
        Assert.True(table.Remove(10));
        Assert.False(table.Remove(10));
        Assert.Equal(ClaimState.Empty, table.StateOf(10, out _));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_flood_of_addresses_fills_the_table_but_never_grows_it()
    {
        var table = new ClaimTable(1024, 3);
        for (uint address = 1; address <= 200_000; address++)
            table.Set(address, ClaimState.Alive, address);
        Assert.True(table.Count <= table.Capacity);
        Assert.True(table.Count > table.Capacity * 9 / 10, $"{table.Count} of {table.Capacity}"); // a full table, not a leaky one
        Assert.Equal(200_000 - table.Count, table.Evictions);
        Assert.Equal(ClaimState.Alive, table.StateOf(200_000, out _)); // the newest is always kept
    }

    [Fact]
    public void A_full_bucket_gives_up_its_oldest_wait_or_alive_mark_before_any_claim()
    {
        var table = new ClaimTable(8, 3); // one bucket
        for (uint a = 1; a <= 4; a++)
            table.Set(a, ClaimState.Claimed, a); // the oldest records are claims
        for (uint a = 5; a <= 8; a++)
            table.Set(a, ClaimState.Alive, 100 + a);
        table.Set(9, ClaimState.Pending, 200);
        Assert.Equal(ClaimState.Empty, table.StateOf(5, out _)); // the oldest non-claim went
        Assert.Equal(4, table.ClaimedCount);
        Assert.Equal(0, table.ClaimsEvicted);

        var claims = new ClaimTable(8, 3);
        for (uint a = 1; a <= 9; a++)
            claims.Set(a, ClaimState.Claimed, a);
        Assert.Equal(ClaimState.Empty, claims.StateOf(1, out _)); // all claims: the oldest claim went
        Assert.Equal(1, claims.ClaimsEvicted);
    }

    [Fact]
    public void The_sweep_forgets_waits_and_alive_marks_that_ran_out_and_keeps_claims()
    {
        var table = new ClaimTable(64, 5);
        table.Set(1, ClaimState.Pending, 0);
        table.Set(2, ClaimState.Pending, 50 * Second);
        table.Set(3, ClaimState.Alive, 0);
        table.Set(4, ClaimState.Alive, 500 * Second);
        table.Set(5, ClaimState.Claimed, 0);
        int removed = table.Sweep(now: 600 * Second, pendingFor: 60 * Second, aliveFor: 600 * Second, maxSlots: table.Capacity);
        Assert.Equal(3, removed);
        Assert.Equal([ClaimState.Empty, ClaimState.Empty, ClaimState.Empty, ClaimState.Alive, ClaimState.Claimed],
            new uint[] { 1, 2, 3, 4, 5 }.Select(a => table.StateOf(a, out _)).ToArray());
    }

    [Fact]
    public void Where_an_address_goes_depends_on_the_seed()
    {
        var first = new ClaimTable(8 * 1024, 1);
        var second = new ClaimTable(8 * 1024, 2);
        for (uint address = 1; address <= 2_000; address++)
        {
            first.Set(address, ClaimState.Alive, 0);
            second.Set(address, ClaimState.Alive, 0);
        }
        int sameSlot = 0;
        for (int slot = 0; slot < first.Capacity; slot++)
        {
            if (first[slot].State != ClaimState.Empty && second[slot].State != ClaimState.Empty && first[slot].Address == second[slot].Address)
                sameSlot++;
        }
        // By chance about 2,000 / 1,024 buckets share a bucket, fewer a slot; a hash that ignored its key would put all 2,000 in the same place.
        Assert.True(sameSlot < 50, $"{sameSlot} of 2,000 addresses in the same slot under two seeds");
    }
}
