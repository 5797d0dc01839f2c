using LaBreaSharp.Core.Tarpit;

namespace LaBreaSharp.Core.Addressing;

/// <summary>What the tarpit should do about an ARP request.</summary>
public enum ArpVerdict : byte
{
    /// <summary>Not ours to answer (yet).</summary>
    Ignore,
    /// <summary>Already ours: answer at once.</summary>
    Answer,
    /// <summary>The request just completed the takeover rule: the address is now claimed; answer.</summary>
    Claim,
}

/// <summary>Which addresses the tarpit answers for, and LaBrea's rule for taking over unused ones.
///
/// Takeover: an ARP request for X (in a -n network) from requester R starts a wait. If R asks
/// for X again at least <see cref="TarpitConfiguration.ArpTimeout"/> later, nobody answered it,
/// so X is claimed. A request from another requester, or a first request older than
/// <see cref="TarpitConfiguration.ArpRestartWindow"/>, starts the wait over.
///
/// Never steal a live address: ARP or IP from X with a MAC that is not the tarpit's marks X alive;
/// a claimed X is released at once and not claimed again for <see cref="TarpitConfiguration.AliveHold"/>.
/// The host's own address, each network's network and broadcast addresses and the exclusions are
/// never claimed. Hard-captured space is claimed from the start and answered at once, but is still
/// given up while someone else is using an address in it.</summary>
public sealed class AddressClaims
{
    private readonly struct PendingRequest(uint requester, long firstSeen)
    {
        public readonly uint Requester = requester;
        public readonly long FirstSeen = firstSeen;
    }

    private readonly TarpitConfiguration _configuration;
    private readonly AddressSet _takeover;
    private readonly AddressSet _hard;
    private readonly AddressSet _never;
    private readonly AddressSet _covered;
    private readonly Dictionary<uint, PendingRequest> _pending = new();
    private readonly HashSet<uint> _claimed = new();
    private readonly Dictionary<uint, long> _aliveUntil = new();
    private long _nextPrune;

    public AddressClaims(TarpitConfiguration configuration)
    {
        _configuration = configuration;
        _takeover = AddressSet.Of(configuration.Networks.ToArray());
        _hard = AddressSet.Of(configuration.HardCapture.ToArray());
        var never = new List<AddressRange>(configuration.Excluded.Ranges);
        foreach (var network in configuration.Networks.Concat(configuration.HardCapture))
        {
            if (network.PrefixLength <= 30)
            {
                never.Add(new AddressRange(network.First, network.First));
                never.Add(new AddressRange(network.Broadcast, network.Broadcast));
            }
        }
        if (configuration.HostIp is { } host)
            never.Add(new AddressRange(host, host));
        never.Add(new AddressRange(Ipv4Address.Any, Ipv4Address.Any));
        _never = AddressSet.Of(never);
        _covered = AddressSet.Of(_takeover.Ranges.Concat(_hard.Ranges));
    }

    public int ClaimedCount => _claimed.Count;
    public int PendingCount => _pending.Count;
    public int AliveCount => _aliveUntil.Count;
    /// <summary>Requests not tracked because <see cref="TarpitConfiguration.MaxPendingClaims"/> were already waiting.</summary>
    public long PendingOverflow { get; private set; }

    /// <summary>Could this address ever be ours (in a -n network or hard capture, not excluded)?</summary>
    public bool Covers(Ipv4Address address) => _covered.Contains(address) && !_never.Contains(address);

    public bool IsClaimed(Ipv4Address address) => _claimed.Contains(address.Value);

    /// <summary>Is <paramref name="address"/> the tarpit's to answer for right now?</summary>
    public bool IsOurs(Ipv4Address address, long now)
    {
        if (_claimed.Contains(address.Value))
            return true;
        return _hard.Contains(address) && !_never.Contains(address) && !IsAlive(address.Value, now);
    }

    public bool IsHardCaptured(Ipv4Address address) => _hard.Contains(address) && !_never.Contains(address);

    /// <summary>An ARP request for <paramref name="target"/> from <paramref name="requester"/> that nobody else has answered.</summary>
    public ArpVerdict OnRequest(Ipv4Address target, Ipv4Address requester, long now)
    {
        if (IsOurs(target, now))
            return ArpVerdict.Answer;
        if (!_takeover.Contains(target) || _never.Contains(target) || IsAlive(target.Value, now))
            return ArpVerdict.Ignore;

        if (_pending.TryGetValue(target.Value, out var pending) &&
            pending.Requester == requester.Value &&
            now - pending.FirstSeen < _configuration.ArpRestartWindow)
        {
            if (now - pending.FirstSeen < _configuration.ArpTimeout)
                return ArpVerdict.Ignore; // asked again too soon: someone may still answer
            _pending.Remove(target.Value);
            _claimed.Add(target.Value);
            return ArpVerdict.Claim;
        }

        if (_pending.Count >= _configuration.MaxPendingClaims && !_pending.ContainsKey(target.Value))
        {
            PendingOverflow++;
            return ArpVerdict.Ignore;
        }
        _pending[target.Value] = new PendingRequest(requester.Value, now); // first request, or starting over
        return ArpVerdict.Ignore;
    }

    /// <summary><paramref name="address"/> spoke (ARP or IP) with a MAC that is not the tarpit's.
    /// True when that released a claimed or hard-captured address.</summary>
    public bool OnAlive(Ipv4Address address, long now)
    {
        if (!Covers(address))
            return false;
        bool wasOurs = IsOurs(address, now);
        _claimed.Remove(address.Value);
        _pending.Remove(address.Value);
        _aliveUntil[address.Value] = now + _configuration.AliveHold;
        return wasOurs;
    }

    /// <summary>Forgets waits and alive marks that have run out; cheap to call often, works at most every ten seconds.</summary>
    public void Prune(long now)
    {
        if (now < _nextPrune)
            return;
        _nextPrune = now + 10 * TarpitConfiguration.Second;
        foreach (var (address, pending) in _pending)
        {
            if (now - pending.FirstSeen >= _configuration.ArpRestartWindow)
                _pending.Remove(address);
        }
        foreach (var (address, until) in _aliveUntil)
        {
            if (until <= now)
                _aliveUntil.Remove(address);
        }
    }

    private bool IsAlive(uint address, long now) => _aliveUntil.TryGetValue(address, out long until) && until > now;
}
