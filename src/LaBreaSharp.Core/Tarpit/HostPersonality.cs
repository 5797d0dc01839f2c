namespace LaBreaSharp.Core.Tarpit;

/// <summary>How the host behind a tarpitted address writes its IP headers: the TTL it starts from,
/// how it numbers IP IDs, whether it sets DF. The reply writer applies it to every reply, so a
/// behaviour describes only the segment. Today every address has the classic face, LaBrea's; the
/// stealth profile gives each address one of its own here (and its SYN-ACK window and options).</summary>
public sealed class HostPersonality
{
    public const byte ClassicTimeToLive = 64;

    private HostPersonality(byte timeToLive, bool dontFragment)
    {
        TimeToLive = timeToLive;
        DontFragment = dontFragment;
    }

    /// <summary>LaBrea's answers: TTL 64, a random IP ID on every packet, DF clear.</summary>
    public static HostPersonality Classic { get; } = new(ClassicTimeToLive, dontFragment: false);

    public byte TimeToLive { get; }
    public bool DontFragment { get; }

    /// <summary>The IP ID of the next packet from this host.</summary>
    public ushort NextIdentification(RandomSource random) => random.NextUInt16();
}
