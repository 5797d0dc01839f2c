using LaBreaSharp.Core.Packets;

namespace LaBreaSharp.Core.Tarpit.Stealth;

/// <summary>The operating systems a stealth address can pass for.</summary>
public enum OsFamily : byte
{
    Linux,
    Windows,
    /// <summary>A network printer's embedded stack (HP JetDirect).</summary>
    Printer,
    /// <summary>A router's (Cisco IOS 15).</summary>
    Router,
}

/// <summary>How a stack numbers the IP IDs of one kind of packet.</summary>
public enum IpIdKind : byte
{
    /// <summary>Always 0 (Linux, for packets with DF set and no connected socket's counter: nmap's TI=Z).</summary>
    Zero,
    /// <summary>One counter shared by everything the host sends (nmap's I).</summary>
    Counter,
    /// <summary>A fresh random ID on every packet (nmap's RD; LaBrea's).</summary>
    Random,
}

/// <summary>What a stack does with a segment that is neither a SYN nor an ACK (NULL, FIN, Xmas) or
/// that has SYN with FIN, sent to an open port.</summary>
public enum OddFlagReaction : byte
{
    /// <summary>Says nothing (RFC 9293; Linux drops SYN+FIN outright).</summary>
    Drop,
    /// <summary>Answers RST|ACK, as a closed port does (Windows).</summary>
    Reset,
    /// <summary>Takes a SYN+FIN for a SYN and answers SYN-ACK (the printer's stack).</summary>
    SynAck,
}

/// <summary>What the SYN being answered offered: a SYN-ACK carries only options its SYN had.</summary>
public readonly record struct OfferedOptions(ushort? Mss, bool WindowScale, bool SackPermitted, uint? Timestamp)
{
    public static OfferedOptions Of(TcpSegment syn)
    {
        if (!syn.TryGetOptions(out var options))
            return default; // malformed options: answer as if there were none
        return new OfferedOptions(options.MaximumSegmentSize, options.WindowScale.HasValue, options.SackPermitted, options.TimestampValue);
    }
}

/// <summary>One stack's documented behaviour, as far as a tarpit shows it: its IP header habits, its
/// SYN-ACK (window, and options in the order it writes them), how its clock ticks in timestamps, the
/// ports such a host has open, and its answers to odd probes. The values are those of nmap's
/// fingerprint database (nmap-os-db) for each system, and for Linux a SYN-ACK recorded from the
/// lab's own kernel (pcaps/linux-synack.pcap); each layout's test compares bytes.</summary>
public sealed record StackProfile
{
    public required OsFamily Family { get; init; }
    /// <summary>What nmap would call it, for the log and the documentation.</summary>
    public required string Name { get; init; }
    public required byte TimeToLive { get; init; }
    /// <summary>DF on the SYN-ACK and on the segments of a connection.</summary>
    public required bool DontFragment { get; init; }
    /// <summary>DF on RSTs (some embedded stacks clear it there).</summary>
    public required bool ResetDontFragment { get; init; }
    public required IpIdKind ConnectionIds { get; init; }
    public required IpIdKind ResetIds { get; init; }
    public required IpIdKind IcmpIds { get; init; }
    /// <summary>The window of its SYN-ACK, in bytes: also the receive buffer the trap lets fill.</summary>
    public required ushort SynAckWindow { get; init; }
    /// <summary>Its SYN-ACK window when the SYN offered no timestamps, if it differs (Linux rounds
    /// the window to whole segments: 45 × 1448 with timestamps, 44 × 1460 without).</summary>
    public ushort? SynAckWindowWithoutTimestamps { get; init; }

    public ushort WindowFor(in OfferedOptions offered) =>
        offered.Timestamp.HasValue ? SynAckWindow : SynAckWindowWithoutTimestamps ?? SynAckWindow;
    /// <summary>The window scale it offers when the SYN offered one; null: it never scales.</summary>
    public required byte? WindowScale { get; init; }
    public required ushort Mss { get; init; }
    /// <summary>Answers with the smaller of its MSS and the SYN's (IOS), not with its own.</summary>
    public bool ClampsMss { get; init; }
    public required bool Sack { get; init; }
    /// <summary>Answers a SYN that asks for ECN (ECE and CWR) with ECE in its SYN-ACK (RFC 3168 §6.1.1):
    /// Linux does by default (tcp_ecn 2, "when asked"); nmap's ECN probe and its CC field see it.</summary>
    public bool AcceptsEcn { get; init; }
    /// <summary>Its timestamp clock, in ticks a second (RFC 7323 §5.4).</summary>
    public required int TimestampHz { get; init; }
    /// <summary>Each peer sees its own timestamp offset (Linux since 4.10), not one host-wide clock.</summary>
    public bool TimestampOffsetPerPeer { get; init; }
    public required OddFlagReaction SynFin { get; init; }
    /// <summary>NULL, FIN and Xmas probes to an open port.</summary>
    public required OddFlagReaction NoSynNoAck { get; init; }
    /// <summary>How many times an unanswered SYN-ACK is sent again, the first after <see cref="SynAckFirstRetry"/>, doubling.</summary>
    public required int SynAckRetries { get; init; }
    public required long SynAckFirstRetry { get; init; }
    /// <summary>Ports such a host has open: each with its chance in 256 (256: always).</summary>
    public required (ushort Port, int Chance)[] Ports { get; init; }
    /// <summary>How its SYN-ACK's options are laid out, given what the SYN offered.</summary>
    public required Layout Options { get; init; }
    /// <summary>Vendor prefixes (OUIs, from the IEEE registry as nmap-mac-prefixes lists them) of the
    /// network cards such hosts have: an address's ARP answers come from one of them.</summary>
    public required uint[] Ouis { get; init; }

    public enum Layout : byte
    {
        /// <summary>MSS; SACK-permitted and timestamps together (or each after two NOPs); NOP, window scale.</summary>
        Linux,
        /// <summary>MSS; NOP, window scale; SACK-permitted and timestamps (NOP NOP before whichever is alone).</summary>
        Windows,
        /// <summary>MSS; NOP, window scale 0; NOP NOP timestamps. No SACK.</summary>
        JetDirect,
        /// <summary>MSS; SACK-permitted; NOP NOP timestamps; end-of-list padding. No window scale.</summary>
        Ios,
    }

    /// <summary>Writes the SYN-ACK's options for a SYN that offered <paramref name="offered"/>; returns their length.</summary>
    public int WriteSynAckOptions(Span<byte> destination, in OfferedOptions offered, uint timestampValue)
    {
        var w = new OptionWriter(destination);
        ushort mss = ClampsMss && offered.Mss is { } theirs && theirs < Mss ? theirs : Mss;
        w.Mss(mss);
        bool scale = offered.WindowScale && WindowScale.HasValue;
        bool sack = offered.SackPermitted && Sack;
        bool ts = offered.Timestamp.HasValue;
        uint echo = offered.Timestamp ?? 0;
        switch (Options)
        {
            case Layout.Linux:
                if (ts && sack) { w.SackPermitted(); w.Timestamps(timestampValue, echo); }
                else if (ts) { w.Nop(); w.Nop(); w.Timestamps(timestampValue, echo); }
                else if (sack) { w.Nop(); w.Nop(); w.SackPermitted(); }
                if (scale) { w.Nop(); w.WindowScale(WindowScale!.Value); }
                break;
            case Layout.Windows:
                if (scale) { w.Nop(); w.WindowScale(WindowScale!.Value); }
                if (ts && sack) { w.SackPermitted(); w.Timestamps(timestampValue, echo); }
                else if (ts) { w.Nop(); w.Nop(); w.Timestamps(timestampValue, echo); }
                else if (sack) { w.Nop(); w.Nop(); w.SackPermitted(); }
                break;
            case Layout.JetDirect:
                if (scale) { w.Nop(); w.WindowScale(WindowScale!.Value); }
                if (ts) { w.Nop(); w.Nop(); w.Timestamps(timestampValue, echo); }
                break;
            case Layout.Ios:
                if (sack) w.SackPermitted();
                if (ts) { if (sack) { w.Nop(); w.Nop(); } w.Timestamps(timestampValue, echo); }
                w.PadWithEndOfList();
                break;
        }
        return w.Length;
    }

    /// <summary>The stacks a stealth address can be, by family.</summary>
    public static StackProfile Of(OsFamily family) => All[(int)family];

    public static IReadOnlyList<StackProfile> All { get; } =
    [
        // Linux 5.x/6.x (nmap-os-db "Linux 5.4" and later; the lab's own 6.x kernel recorded).
        new()
        {
            Family = OsFamily.Linux, Name = "Linux 5.x-6.x", TimeToLive = 64, DontFragment = true, ResetDontFragment = true,
            ConnectionIds = IpIdKind.Zero, ResetIds = IpIdKind.Counter, IcmpIds = IpIdKind.Counter,
            SynAckWindow = 65_160, SynAckWindowWithoutTimestamps = 64_240, WindowScale = 7, Mss = 1460, Sack = true, TimestampHz = 1000, TimestampOffsetPerPeer = true,
            AcceptsEcn = true,
            SynFin = OddFlagReaction.Drop, NoSynNoAck = OddFlagReaction.Drop,
            SynAckRetries = 5, SynAckFirstRetry = Time.Second, // tcp_synack_retries 5, TCP_TIMEOUT_INIT 1 s
            Ports = [(22, 256), (80, 150), (443, 120), (111, 40), (25, 25), (3306, 25), (8080, 25), (5432, 15)],
            Options = Layout.Linux,
            Ouis = [0x002590, 0x005056, 0xD4BED9, 0xF8BC12], // Super Micro, VMware, Dell, Dell
        },
        // Windows 10 / Server 2016-2022 (nmap-os-db "Microsoft Windows 10 10586 - 14393").
        new()
        {
            Family = OsFamily.Windows, Name = "Microsoft Windows 10", TimeToLive = 128, DontFragment = true, ResetDontFragment = true,
            ConnectionIds = IpIdKind.Counter, ResetIds = IpIdKind.Counter, IcmpIds = IpIdKind.Counter,
            SynAckWindow = 8192, WindowScale = 8, Mss = 1460, Sack = true, TimestampHz = 1000,
            SynFin = OddFlagReaction.Reset, NoSynNoAck = OddFlagReaction.Reset,
            SynAckRetries = 2, SynAckFirstRetry = 3 * Time.Second, // TcpMaxConnectResponseRetransmissions 2
            Ports = [(135, 256), (139, 256), (445, 256), (3389, 130), (5985, 70), (80, 50), (1433, 25)],
            Options = Layout.Windows,
            Ouis = [0x00219B, 0x5CF9DD, 0xB8AC6F, 0x848F69, 0x1CC1DE, 0x005056], // Dell ×4, Hewlett Packard, VMware
        },
        // An HP LaserJet's JetDirect (nmap-os-db "HP LaserJet 2055dn, 2420, P3005, …").
        new()
        {
            Family = OsFamily.Printer, Name = "HP LaserJet (JetDirect)", TimeToLive = 64, DontFragment = true, ResetDontFragment = false,
            ConnectionIds = IpIdKind.Counter, ResetIds = IpIdKind.Counter, IcmpIds = IpIdKind.Counter,
            SynAckWindow = 1460, WindowScale = 0, Mss = 1460, Sack = false, TimestampHz = 100,
            SynFin = OddFlagReaction.SynAck, NoSynNoAck = OddFlagReaction.Drop,
            SynAckRetries = 3, SynAckFirstRetry = 3 * Time.Second,
            Ports = [(80, 256), (515, 256), (9100, 256), (443, 200), (631, 180), (23, 60)],
            Options = Layout.JetDirect,
            Ouis = [0x3CD92B, 0x001E0B, 0xA0D3C1, 0x9CB654], // Hewlett Packard
        },
        // Cisco IOS 15 (nmap-os-db "Cisco IOS 15.2 - 15.5").
        new()
        {
            Family = OsFamily.Router, Name = "Cisco IOS 15", TimeToLive = 255, DontFragment = false, ResetDontFragment = false,
            ConnectionIds = IpIdKind.Random, ResetIds = IpIdKind.Random, IcmpIds = IpIdKind.Random,
            SynAckWindow = 4128, WindowScale = null, Mss = 1460, ClampsMss = true, Sack = true, TimestampHz = 1000,
            SynFin = OddFlagReaction.Drop, NoSynNoAck = OddFlagReaction.Drop,
            SynAckRetries = 4, SynAckFirstRetry = 2 * Time.Second,
            Ports = [(22, 256), (23, 120), (80, 80), (443, 80)],
            Options = Layout.Ios,
            Ouis = [0x001BD4, 0xF4CFE2, 0xE4AA5D, 0x00000C], // Cisco Systems
        },
    ];
}

/// <summary>Appends TCP options to a span, in network byte order.</summary>
internal ref struct OptionWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Length { get; private set; }

    public void Nop() => _destination[Length++] = TcpOptionKind.NoOperation;

    public void Mss(ushort value)
    {
        _destination[Length] = TcpOptionKind.MaximumSegmentSize;
        _destination[Length + 1] = 4;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(_destination.Slice(Length + 2), value);
        Length += 4;
    }

    public void WindowScale(byte shift)
    {
        _destination[Length] = TcpOptionKind.WindowScale;
        _destination[Length + 1] = 3;
        _destination[Length + 2] = shift;
        Length += 3;
    }

    public void SackPermitted()
    {
        _destination[Length] = TcpOptionKind.SackPermitted;
        _destination[Length + 1] = 2;
        Length += 2;
    }

    public void Timestamps(uint value, uint echo)
    {
        _destination[Length] = TcpOptionKind.Timestamps;
        _destination[Length + 1] = 10;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(_destination.Slice(Length + 2), value);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(_destination.Slice(Length + 6), echo);
        Length += 10;
    }

    public void PadWithEndOfList()
    {
        while (Length % 4 != 0)
            _destination[Length++] = TcpOptionKind.EndOfList;
    }
}
