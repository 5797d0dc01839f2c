using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tests.Flows;

public class ConversationTableTests
{
    private static FlowKey Key(int i) => new(new Ipv4Address(0xC633_6400u + (uint)(i % 250)), Ipv4Address.Parse("192.0.2.77"), (ushort)(1024 + i / 250), 22);

    private static FlowEntry Flow(int i, uint lastSeen = 0) => new() { Key = Key(i), State = FlowState.Established, LastSeen = lastSeen, Cookie = (uint)i };

    [Fact]
    public void A_conversation_is_the_flow_entry_and_16_bytes_of_sender_state()
    {
        Assert.Equal(48, Unsafe.SizeOf<Conversation>());
        Assert.Equal(Unsafe.SizeOf<FlowEntry>() + 16, Unsafe.SizeOf<Conversation>());
    }

    [Fact]
    public void Added_conversations_are_found_in_slots_that_never_move()
    {
        var table = new ConversationTable(1024, 9);
        var slots = new int[800];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = table.Add(Flow(i), out var evicted);
            Assert.False(evicted.IsOccupied); // two buckets a key: 78% full and nothing evicted
            table[slots[i]].Line = (uint)i;
        }
        for (int i = 0; i < slots.Length; i += 2)
            table.RemoveAt(slots[i]);
        Assert.Equal(400, table.Count);
        for (int i = 1; i < slots.Length; i += 2)
        {
            Assert.Equal(slots[i], table.Find(Key(i)));         // removing others moved nothing
            Assert.Equal((uint)i, table[slots[i]].Line);
            Assert.Equal((uint)i, table[slots[i]].Flow.Cookie);
        }
        Assert.Equal(-1, table.Find(Key(0)));
        Assert.Equal(-1, table.Find(Key(10_000)));
    }

    [Fact]
    public void A_full_bucket_gives_its_least_recently_seen_slot_and_says_so()
    {
        var table = new ConversationTable(8, 1); // one bucket
        for (int i = 0; i < 8; i++)
            table.Add(Flow(i, lastSeen: (uint)(100 - i)), out _); // flow 7 is the least recently seen
        int oldest = table.Find(Key(7));
        table[oldest].Line = 77;
        int slot = table.Add(Flow(8, lastSeen: 200), out var evicted);
        Assert.Equal(Key(7), evicted.Flow.Key); // handed back whole, to be ended properly
        Assert.Equal(77u, evicted.Line);
        Assert.Equal(oldest, slot);
        Assert.Equal(-1, table.Find(Key(7)));
        Assert.Equal(slot, table.Find(Key(8)));
        Assert.Equal(0u, table[slot].Line); // a fresh sender state, not the evicted one's
        Assert.Equal((8, 1L), (table.Count, table.Evictions));
    }

    [Fact]
    public void Capacity_is_bounded_however_many_flows_come()
    {
        var table = new ConversationTable(4096, 5);
        for (int i = 0; i < 100_000; i++)
            table.Add(Flow(i, lastSeen: (uint)i), out _);
        Assert.Equal(4096, table.Capacity);
        Assert.True(table.Count <= table.Capacity);
        Assert.Equal(100_000, table.Count + table.Evictions);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConversationTable(0, 1));
    }
}
