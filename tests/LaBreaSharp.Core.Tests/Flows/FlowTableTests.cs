using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tests.Flows;

public class FlowTableTests
{
    private static FlowKey Key(int i) => new(new Ipv4Address(0xC6336400u + (uint)(i & 0xFF)), new Ipv4Address(0xC0000200u + (uint)((i >> 8) & 0xFF)), (ushort)(i >> 16), 80);

    [Fact]
    public void An_entry_is_28_bytes_and_a_key_12()
    {
        Assert.Equal(32, Unsafe.SizeOf<FlowEntry>());
        Assert.Equal(12, Unsafe.SizeOf<FlowKey>());
    }

    [Fact]
    public void Random_inserts_lookups_and_removals_agree_with_a_dictionary()
    {
        // A tiny table forces long probe runs, wrap-around and every backward-shift case.
        var table = new FlowTable(64, seed: 3);
        var model = new Dictionary<FlowKey, uint>();
        var random = new Random(5);
        for (int step = 0; step < 200_000; step++)
        {
            var key = Key(random.Next(200));
            int index = table.Find(key);
            Assert.Equal(model.ContainsKey(key), index >= 0);
            if (index >= 0)
            {
                Assert.Equal(model[key], table[index].AckPoint);
                if (random.Next(2) == 0)
                {
                    table.RemoveAt(index);
                    model.Remove(key);
                }
            }
            else if (model.Count < table.Capacity)
            {
                uint value = (uint)random.Next();
                table[table.Add(key, FlowState.SynAcked, 0)].AckPoint = value;
                model[key] = value;
            }
            Assert.Equal(model.Count, table.Count);
        }
        foreach (var (key, value) in model)
            Assert.Equal(value, table[table.Find(key)].AckPoint);
    }

    [Fact]
    public void Evicting_in_place_never_strands_a_key()
    {
        // Far past capacity, with removals mixed in: every key the table still holds must be
        // findable, so the findable keys must number exactly Count.
        var table = new FlowTable(50, seed: 8);
        var everInserted = new List<FlowKey>();
        var random = new Random(13);
        for (int step = 0; step < 20_000; step++)
        {
            var key = Key(random.Next(5_000));
            int index = table.FindOrAdd(key, FlowState.SynAcked, (uint)step, out bool added);
            Assert.Equal(key, table[index].Key);
            if (added)
                everInserted.Add(key);
            if (random.Next(10) == 0)
                table.RemoveAt(index);
            if (step % 500 == 0)
            {
                int findable = everInserted.Distinct().Count(k => table.Find(k) >= 0);
                Assert.Equal(table.Count, findable);
                Assert.InRange(table.Count, 0, table.Capacity);
            }
        }
        Assert.True(table.Evictions > 1000);
    }

    [Fact]
    public void A_full_table_evicts_the_least_recently_seen_nearby_entry_and_never_grows()
    {
        var table = new FlowTable(100, seed: 9);
        for (int i = 0; i < 100; i++)
            table.Add(Key(i), FlowState.Persist, now: (uint)(i == 37 ? 0 : 1000 + i));
        Assert.Equal(100, table.Count);
        for (int i = 100; i < 1100; i++)
            table.Add(Key(i), FlowState.SynAcked, now: 5000);
        Assert.Equal(100, table.Count);
        Assert.Equal(1000, table.Evictions);
        Assert.Equal(-1, table.Find(Key(37)));
    }

    [Fact]
    public void Sweeping_removes_only_idle_entries_and_is_bounded_per_call()
    {
        var table = new FlowTable(1000, seed: 1);
        for (int i = 0; i < 1000; i++)
            table.Add(Key(i), FlowState.SynAcked, now: (uint)(i % 2 == 0 ? 0 : 3000));
        Assert.Equal(0, table.Sweep(now: 3601, idleSeconds: 3600, maxSlots: 0));
        int removed = 0;
        for (int call = 0; call < 100; call++)
            removed += table.Sweep(now: 3601, idleSeconds: 3600, maxSlots: 20);
        Assert.Equal(500, removed);
        Assert.Equal(500, table.Count);
        for (int i = 1; i < 1000; i += 2)
            Assert.True(table.Find(Key(i)) >= 0);
    }

    [Fact]
    public void A_table_has_half_again_as_many_slots_as_flows()
    {
        // The load when full is two thirds, which keeps a new key's walk short (see FlowTable).
        Assert.Equal(1_048_576 + 524_288 + 1, new FlowTable(1 << 20, seed: 1).SlotCount);
    }
}
