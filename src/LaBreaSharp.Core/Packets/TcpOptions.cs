using System.Buffers.Binary;

namespace LaBreaSharp.Core.Packets;

/// <summary>TCP option kinds (IANA "TCP Option Kind Numbers").</summary>
public static class TcpOptionKind
{
    public const byte EndOfList = 0;
    public const byte NoOperation = 1;
    public const byte MaximumSegmentSize = 2;
    public const byte WindowScale = 3;
    public const byte SackPermitted = 4;
    public const byte Sack = 5;
    public const byte Timestamps = 8;
}

/// <summary>One option: its kind and the bytes after kind and length.</summary>
public readonly ref struct TcpOption
{
    public TcpOption(byte kind, ReadOnlySpan<byte> data)
    {
        Kind = kind;
        Data = data;
    }

    public byte Kind { get; }
    public ReadOnlySpan<byte> Data { get; }
}

/// <summary>Walks the options area of a TCP header one option at a time. Unknown kinds are skipped
/// by their length byte; a length below 2, one that runs past the area, or a known kind with the
/// wrong length sets <see cref="IsMalformed"/> and stops the walk.</summary>
public ref struct TcpOptionReader
{
    private readonly ReadOnlySpan<byte> _options;
    private int _offset;

    public TcpOptionReader(ReadOnlySpan<byte> options)
    {
        _options = options;
        _offset = 0;
        IsMalformed = false;
    }

    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out TcpOption option)
    {
        option = default;
        while (_offset < _options.Length)
        {
            byte kind = _options[_offset];
            if (kind == TcpOptionKind.EndOfList)
            {
                _offset = _options.Length;
                return false;
            }
            if (kind == TcpOptionKind.NoOperation)
            {
                _offset++;
                continue;
            }
            if (_offset + 1 >= _options.Length)
                return Fail();
            int length = _options[_offset + 1];
            if (length < 2 || _offset + length > _options.Length || !HasValidLength(kind, length))
                return Fail();
            option = new TcpOption(kind, _options.Slice(_offset + 2, length - 2));
            _offset += length;
            return true;
        }
        return false;
    }

    private bool Fail()
    {
        IsMalformed = true;
        _offset = _options.Length;
        return false;
    }

    private static bool HasValidLength(byte kind, int length) => kind switch
    {
        TcpOptionKind.MaximumSegmentSize => length == 4,
        TcpOptionKind.WindowScale => length == 3,
        TcpOptionKind.SackPermitted => length == 2,
        TcpOptionKind.Sack => length >= 10 && (length - 2) % 8 == 0,
        TcpOptionKind.Timestamps => length == 10,
        _ => true,
    };
}

/// <summary>The options a tarpit cares about, parsed out of a header.</summary>
public readonly record struct TcpOptions(
    ushort? MaximumSegmentSize,
    byte? WindowScale,
    bool SackPermitted,
    uint? TimestampValue,
    uint? TimestampEcho,
    int SackBlocks,
    int UnknownCount)
{
    public bool HasTimestamps => TimestampValue.HasValue;

    /// <summary>False when the options area is malformed (see <see cref="TcpOptionReader"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> area, out TcpOptions options)
    {
        ushort? mss = null;
        byte? scale = null;
        bool sackPermitted = false;
        uint? tsValue = null, tsEcho = null;
        int sackBlocks = 0, unknown = 0;
        var reader = new TcpOptionReader(area);
        while (reader.TryReadNext(out var option))
        {
            switch (option.Kind)
            {
                case TcpOptionKind.MaximumSegmentSize:
                    mss = BinaryPrimitives.ReadUInt16BigEndian(option.Data);
                    break;
                case TcpOptionKind.WindowScale:
                    scale = option.Data[0];
                    break;
                case TcpOptionKind.SackPermitted:
                    sackPermitted = true;
                    break;
                case TcpOptionKind.Sack:
                    sackBlocks += option.Data.Length / 8;
                    break;
                case TcpOptionKind.Timestamps:
                    tsValue = BinaryPrimitives.ReadUInt32BigEndian(option.Data);
                    tsEcho = BinaryPrimitives.ReadUInt32BigEndian(option.Data.Slice(4));
                    break;
                default:
                    unknown++;
                    break;
            }
        }
        options = new TcpOptions(mss, scale, sackPermitted, tsValue, tsEcho, sackBlocks, unknown);
        return !reader.IsMalformed;
    }
}
