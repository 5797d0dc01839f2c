using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Core.Tests.Tarpit;

public class SynCookieTests
{
    [Fact]
    public void SipHash_2_4_matches_the_reference_vector_for_12_bytes()
    {
        // Reference vectors (Aumasson & Bernstein): key 00 01 … 0f, message 00 01 … 0b,
        // output fb e5 0e 86 bc 8f 1e 75 (little-endian).
        var cookie = new SynCookie(0x0706050403020100, 0x0f0e0d0c0b0a0908);
        Assert.Equal(0x751e8fbc860ee5fbUL, cookie.Hash12(0x03020100, 0x07060504, 0x0908, 0x0b0a));
    }

    [Fact]
    public void A_changed_key_changes_every_cookie()
    {
        var a = new SynCookie(1, 2);
        var b = new SynCookie(1, 3);
        int same = 0;
        for (ushort port = 1; port < 1000; port++)
            if (a.Hash12(1, 2, port, 80) == b.Hash12(1, 2, port, 80))
                same++;
        Assert.Equal(0, same);
    }

    [Fact]
    public void Seeded_randomness_repeats_and_differs_by_seed()
    {
        var a = new RandomSource(11);
        var b = new RandomSource(11);
        var c = new RandomSource(12);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray());
        Assert.Equal(100, first.Distinct().Count());
    }
}
