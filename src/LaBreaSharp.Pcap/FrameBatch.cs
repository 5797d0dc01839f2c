namespace LaBreaSharp.Pcap;

/// <summary>Frames copied out of libpcap's ring in one wake-up, so that a caller can look at all
/// of them before handling any (the tarpit prefetches every frame's flow first). Fixed slots of
/// the capture's snap length in one array, allocated once.</summary>
public sealed class FrameBatch
{
    private readonly byte[] _bytes;
    private readonly int[] _lengths;
    private readonly int[] _originalLengths;
    private readonly long[] _timestamps;

    public FrameBatch(int capacity, int slotLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLength, 1);
        Capacity = capacity;
        SlotLength = slotLength;
        _bytes = new byte[checked(capacity * slotLength)];
        _lengths = new int[capacity];
        _originalLengths = new int[capacity];
        _timestamps = new long[capacity];
    }

    public int Capacity { get; }
    public int SlotLength { get; }
    public int Count { get; private set; }
    public bool IsFull => Count == Capacity;

    /// <summary>The bytes captured of frame <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(Slot(index) * SlotLength, _lengths[index]);

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long Timestamp(int index) => _timestamps[Slot(index)];

    /// <summary>The frame's length on the wire (more than the captured bytes when the snap length cut it).</summary>
    public int OriginalLength(int index) => _originalLengths[Slot(index)];

    public void Clear() => Count = 0;

    /// <summary>Copies <paramref name="frame"/> into the next slot. The caller checks <see cref="IsFull"/>
    /// first; a frame longer than a slot (more than the snap length) is an error in the caller.</summary>
    public void Add(in CapturedFrame frame)
    {
        if (IsFull)
            throw new InvalidOperationException("the batch is full");
        if (frame.Data.Length > SlotLength)
            throw new ArgumentException($"a {frame.Data.Length}-byte frame does not fit a {SlotLength}-byte slot", nameof(frame));
        frame.Data.CopyTo(_bytes.AsSpan(Count * SlotLength));
        _lengths[Count] = frame.Data.Length;
        _originalLengths[Count] = frame.OriginalLength;
        _timestamps[Count] = frame.TimestampNanoseconds;
        Count++;
    }

    private int Slot(int index) => (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index));
}
