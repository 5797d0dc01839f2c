namespace LaBreaSharp.Core.Tarpit;

/// <summary>A token bucket on the engine's clock: <c>rate</c> tokens per second, at most one
/// second's worth saved up. Tokens are kept in units of 1/1e9 so that refills need no division.</summary>
public struct TokenBucket
{
    private readonly long _rate;       // tokens per second; 0 = unlimited
    private readonly long _capacity;   // in nano-tokens
    private long _nanoTokens;
    private long _last;

    public TokenBucket(long ratePerSecond, long now)
    {
        _rate = ratePerSecond;
        _capacity = ratePerSecond * TarpitConfiguration.Second;
        _nanoTokens = _capacity;
        _last = now;
    }

    public readonly bool IsUnlimited => _rate == 0;

    public bool TryTake(long cost, long now)
    {
        if (_rate == 0)
            return true;
        if (now > _last)
        {
            long elapsed = now - _last;
            // rate × elapsed can overflow for long idle gaps; a full bucket is the most it can hold anyway.
            _nanoTokens = elapsed >= TarpitConfiguration.Second ? _capacity : Math.Min(_capacity, _nanoTokens + _rate * elapsed);
            _last = now;
        }
        long needed = cost * TarpitConfiguration.Second;
        if (_nanoTokens < needed)
            return false;
        _nanoTokens -= needed;
        return true;
    }
}

/// <summary>The reply caps: packets per second, bandwidth, and packets per second per source.
/// Per-source buckets live in a fixed array indexed by a hash of the source, so memory is bounded
/// whatever the number of sources (sources that share a bucket share its budget).</summary>
public sealed class RateLimiter
{
    private const int SourceBuckets = 4096;

    private TokenBucket _packets;
    private TokenBucket _bytes;
    private readonly TokenBucket[]? _perSource;
    private readonly long _perSourceRate;

    public RateLimiter(TarpitConfiguration configuration, long now)
    {
        _packets = new TokenBucket(configuration.MaxPacketsPerSecond, now);
        _bytes = new TokenBucket(configuration.MaxRateKbits * 1000 / 8, now);
        _perSourceRate = configuration.MaxPacketsPerSecondPerSource;
        if (_perSourceRate > 0)
        {
            _perSource = new TokenBucket[SourceBuckets];
            for (int i = 0; i < SourceBuckets; i++)
                _perSource[i] = new TokenBucket(_perSourceRate, now);
        }
    }

    /// <summary>Takes budget for one reply of <paramref name="length"/> bytes to <paramref name="destination"/>;
    /// the reason it was refused otherwise.</summary>
    public TarpitEventReason TryAdmit(uint destination, int length, long now)
    {
        if (_perSource is not null)
        {
            uint h = destination * 0x9E3779B1u;
            if (!_perSource[h >> 20].TryTake(1, now))
                return TarpitEventReason.SourceRate;
        }
        if (!_packets.TryTake(1, now))
            return TarpitEventReason.PacketRate;
        if (!_bytes.TryTake(length, now))
            return TarpitEventReason.Bandwidth;
        return TarpitEventReason.None;
    }
}
