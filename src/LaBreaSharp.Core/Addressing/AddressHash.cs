namespace LaBreaSharp.Core.Addressing;

/// <summary>The bucket of an address in a keyed, set-associative table (the claim table, the ban
/// list): the key is the table's secret seed, so a sender cannot choose addresses that all land
/// in one bucket.</summary>
internal static class AddressHash
{
    /// <param name="mask">The bucket count less one; the count is a power of two.</param>
    public static int Bucket(uint address, ulong seed, int mask)
    {
        ulong h = (address ^ (seed >> 32)) * (seed | 1);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9;
        return (int)((h >> 32) & (uint)mask);
    }
}
