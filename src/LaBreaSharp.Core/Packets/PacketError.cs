namespace LaBreaSharp.Core.Packets;

/// <summary>Why a reader refused a frame. Readers never throw on wire data; they say which rule
/// the bytes broke so the caller can count drops by cause.</summary>
public enum PacketError : byte
{
    None = 0,
    /// <summary>Fewer bytes than the fixed part of the header.</summary>
    Truncated,
    /// <summary>A version, hardware type, or similar constant field that is not what this reader handles.</summary>
    Unsupported,
    /// <summary>A header length field below the minimum or beyond the bytes present (IHL, data offset).</summary>
    BadHeaderLength,
    /// <summary>A total length field smaller than the header, or larger than the bytes captured.</summary>
    BadTotalLength,
    /// <summary>Options that do not tile their space: a length below 2, or running past the end.</summary>
    BadOptions,
}

public static class PacketErrorText
{
    public static string Describe(this PacketError error) => error switch
    {
        PacketError.None => "ok",
        PacketError.Truncated => "truncated",
        PacketError.Unsupported => "unsupported",
        PacketError.BadHeaderLength => "bad header length",
        PacketError.BadTotalLength => "bad total length",
        PacketError.BadOptions => "bad options",
        _ => "unknown",
    };
}
