namespace LaBreaSharp.Core.Tarpit;

/// <summary>The engine's only source of randomness (IP IDs, the cookie key). xoshiro256** seeded
/// through SplitMix64: fast, allocation-free, and with a fixed seed the same sequence every run,
/// which is what makes a replay byte-identical.</summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    public RandomSource(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Seeded from the kernel's cryptographic generator. Read from /dev/urandom rather than
    /// through RandomNumberGenerator, which on Linux loads OpenSSL's libcrypto (2.6 MB of the native
    /// build's resident memory) for these eight bytes.</summary>
    public static RandomSource FromEntropy()
    {
        Span<byte> bytes = stackalloc byte[8];
        using (var urandom = new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
            urandom.ReadExactly(bytes);
        return new RandomSource(BitConverter.ToUInt64(bytes));
    }

    public ulong Seed { get; }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    public ushort NextUInt16() => (ushort)(NextUInt64() >> 48);

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
