namespace LaBreaSharp.Pcap;

/// <summary>libpcap refused something; the message is libpcap's own where it gave one.</summary>
public class PcapException : Exception
{
    public PcapException(string message) : base(message) { }
    public PcapException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>libpcap itself could not be loaded.</summary>
public sealed class PcapLibraryMissingException : PcapException
{
    public PcapLibraryMissingException(string message) : base(message) { }
}
