using System.Runtime.CompilerServices;
using LaBreaSharp.Core.Flows;

namespace LaBreaSharp.Core.Tarpit;

/// <summary>The tarpit's initial sequence number: SipHash-2-4 (Aumasson and Bernstein) of the
/// 4-tuple under a secret 128-bit key, cut to 32 bits. Every later segment of a trapped connection
/// acknowledges cookie+1, so the tarpit recognises its own connections, window probes included,
/// without having stored them; and nobody without the key can predict it.</summary>
public sealed class SynCookie
{
    private readonly ulong _k0;
    private readonly ulong _k1;

    public SynCookie(ulong k0, ulong k1)
    {
        _k0 = k0;
        _k1 = k1;
    }

    public static SynCookie FromRandom(RandomSource random) => new(random.NextUInt64(), random.NextUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint For(in FlowKey key) => (uint)Hash12(key.Source.Value, key.Destination.Value, key.SourcePort, key.DestinationPort);

    /// <summary>A 64-bit key for another keyed structure (a table's hash), derived from this secret
    /// and <paramref name="purpose"/>: as unpredictable as the cookie, and drawn without taking
    /// anything from the engine's random sequence, which a seeded replay must keep unchanged.</summary>
    public ulong Derive(uint purpose) => Hash12(purpose, 0x4C42_5348, 0xD3, 0x5A); // "LBSH"

    /// <summary>SipHash-2-4 of the 12-byte message (a, b, c, d) laid out little-endian, which is the
    /// layout of the reference test vectors.</summary>
    internal ulong Hash12(uint a, uint b, ushort c, ushort d)
    {
        ulong v0 = _k0 ^ 0x736f6d6570736575;
        ulong v1 = _k1 ^ 0x646f72616e646f6d;
        ulong v2 = _k0 ^ 0x6c7967656e657261;
        ulong v3 = _k1 ^ 0x7465646279746573;

        ulong m = a | ((ulong)b << 32);
        v3 ^= m;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= m;

        m = (12UL << 56) | c | ((ulong)d << 16);
        v3 ^= m;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= m;

        v2 ^= 0xff;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1; v1 = ulong.RotateLeft(v1, 13); v1 ^= v0; v0 = ulong.RotateLeft(v0, 32);
        v2 += v3; v3 = ulong.RotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = ulong.RotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = ulong.RotateLeft(v1, 17); v1 ^= v2; v2 = ulong.RotateLeft(v2, 32);
    }
}
