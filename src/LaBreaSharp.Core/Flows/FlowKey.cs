using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LaBreaSharp.Core.Addressing;

namespace LaBreaSharp.Core.Flows;

/// <summary>The IPv4 4-tuple of a connection as the attacker opened it: attacker → trapped address.
/// 12 bytes, compared as three 32-bit words.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct FlowKey(Ipv4Address Source, Ipv4Address Destination, ushort SourcePort, ushort DestinationPort)
{
    /// <summary>Source and destination ports in one word, source port high.</summary>
    public uint Ports
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((uint)SourcePort << 16) | DestinationPort;
    }

    /// <summary>Equality as three word compares, for the table's hot loop (the record's generated
    /// Equals goes through a comparer per field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool SameAs(in FlowKey other) =>
        Source.Value == other.Source.Value && Destination.Value == other.Destination.Value && Ports == other.Ports;

    public override string ToString() => $"{Source}:{SourcePort} -> {Destination}:{DestinationPort}";
}
