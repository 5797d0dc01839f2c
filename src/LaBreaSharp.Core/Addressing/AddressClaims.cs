namespace LaBreaSharp.Core.Addressing;

/// <summary>What to answer ARP for, and the takeover rule's timings (nanoseconds).</summary>
public sealed record ClaimOptions
{
    /// <summary>Networks where unanswered ARP requests are taken over (-n).</summary>
    public IReadOnlyList<Cidr> Networks { get; init; } = [];
    /// <summary>Claimed from the start (--hard-capture).</summary>
    public IReadOnlyList<Cidr> HardCapture { get; init; } = [];
    /// <summary>Never claimed (-x).</summary>
    public AddressSet Excluded { get; init; } = AddressSet.Empty;
    /// <summary>The host's own address: never claimed.</summary>
    public Ipv4Address? HostIp { get; init; }
    public long ArpTimeout { get; init; } = 3 * Time.Second;
    /// <summary>A first ARP request older than this starts the takeover wait over (LaBrea's 60 s).</summary>
    public long ArpRestartWindow { get; init; } = 60 * Time.Second;
    public long AliveHold { get; init; } = 600 * Time.Second;
    /// <summary>How long the tarpit's own ARP probe for an address it is about to claim may take to be
    /// answered; 0 claims on the rule alone, as LaBrea did.</summary>
    public long ProbeWait { get; init; } = Time.Second;
    /// <summary>How many addresses may be waiting for their second ARP request at once; more are not tracked (counted).</summary>
    public int MaxPendingClaims { get; init; } = 65_536;
    /// <summary>Addresses whose state (waiting, claimed, alive) is remembered at once: the claim table's size.</summary>
    public int Capacity { get; init; } = 65_536;
}

/// <summary>What the tarpit should do about an ARP request.</summary>
public enum ArpVerdict : byte
{
    /// <summary>Not ours to answer (yet).</summary>
    Ignore,
    /// <summary>Already ours: answer at once.</summary>
    Answer,
    /// <summary>The request just completed the takeover rule: the address is now claimed; answer.</summary>
    Claim,
    /// <summary>The request completed the takeover rule: ask for the address ourselves (an ARP probe)
    /// before claiming it, and answer nothing yet.</summary>
    Probe,
}

/// <summary>What a sign of life from an address changed.</summary>
public enum AliveOutcome : byte
{
    None,
    /// <summary>The address was ours (claimed or hard-captured) and is given back.</summary>
    Released,
    /// <summary>It answered, or spoke, while the tarpit's probe for it was out: not claimed.</summary>
    ProbeAnswered,
}

/// <summary>Which addresses the tarpit answers for, and LaBrea's rule for taking over unused ones.
///
/// Takeover: an ARP request for X (in a -n network) from requester R starts a wait. If R asks
/// for X again at least <see cref="ClaimOptions.ArpTimeout"/> later, nobody answered R, so X
/// looks unused. On a switch that proves little (a live host's answers are unicast to R), so the
/// tarpit then asks for X itself (<see cref="ArpVerdict.Probe"/>, an RFC 5227 probe whose answer is
/// unicast to the tarpit), and claims X at the first request <see cref="ClaimOptions.ProbeWait"/> or
/// more after it if nothing spoke for X meanwhile. A request from another requester, or a first
/// request older than <see cref="ClaimOptions.ArpRestartWindow"/>, starts the wait over.
///
/// Never steal a live address: ARP or IP from X with a MAC that is not the tarpit's marks X alive;
/// a claimed X is released at once and not claimed again for <see cref="ClaimOptions.AliveHold"/>.
/// The host's own address, each network's network and broadcast addresses and the exclusions are
/// never claimed. Hard-captured space is claimed from the start and answered at once, but is still
/// given up while someone else is using an address in it.
///
/// What the rule remembers lives in a <see cref="ClaimTable"/> of bounded size, so that spoofed
/// sources and scans of a large -n network cost a fixed amount of memory.</summary>
public sealed class AddressClaims
{
    /// <summary>The whole claim table is looked over about this often for waits and alive marks that ran out.</summary>
    private const long SweepPeriod = 10 * Time.Second;

    private readonly ClaimOptions _options;
    private readonly AddressSet _takeover;
    private readonly AddressSet _hard;
    private readonly AddressSet _never;
    private readonly AddressSet _covered;
    private readonly ClaimTable _table;
    private long _lastSweep = long.MinValue;

    public AddressClaims(ClaimOptions options, ulong seed)
    {
        _options = options;
        _takeover = AddressSet.Of(options.Networks.ToArray());
        _hard = AddressSet.Of(options.HardCapture.ToArray());
        var never = new List<AddressRange>(options.Excluded.Ranges);
        foreach (var network in options.Networks.Concat(options.HardCapture))
        {
            if (network.PrefixLength <= 30)
            {
                never.Add(new AddressRange(network.First, network.First));
                never.Add(new AddressRange(network.Broadcast, network.Broadcast));
            }
        }
        if (options.HostIp is { } host)
            never.Add(new AddressRange(host, host));
        never.Add(new AddressRange(Ipv4Address.Any, Ipv4Address.Any));
        _never = AddressSet.Of(never);
        _covered = AddressSet.Of(_takeover.Ranges.Concat(_hard.Ranges));
        _table = new ClaimTable(options.Capacity, seed);
    }

    public ClaimTable Table => _table;
    public int ClaimedCount => _table.ClaimedCount;
    public int PendingCount => _table.PendingCount;
    public int AliveCount => _table.AliveCount;
    /// <summary>Requests not tracked because <see cref="ClaimOptions.MaxPendingClaims"/> were already waiting.</summary>
    public long PendingOverflow { get; private set; }

    /// <summary>Could this address ever be ours (in a -n network or hard capture, not excluded)?</summary>
    public bool Covers(Ipv4Address address) => _covered.Contains(address) && !_never.Contains(address);

    public bool IsClaimed(Ipv4Address address) => _table.StateOf(address.Value, out _) == ClaimState.Claimed;

    /// <summary>Is <paramref name="address"/> the tarpit's to answer for right now?</summary>
    public bool IsOurs(Ipv4Address address, long now)
    {
        var state = _table.StateOf(address.Value, out long since);
        if (state == ClaimState.Claimed)
            return true;
        return _hard.Contains(address) && !_never.Contains(address) && !(state == ClaimState.Alive && IsStillAlive(since, now));
    }

    public bool IsHardCaptured(Ipv4Address address) => _hard.Contains(address) && !_never.Contains(address);

    /// <summary>An ARP request for <paramref name="target"/> from <paramref name="requester"/> that nobody else has answered.</summary>
    public ArpVerdict OnRequest(Ipv4Address target, Ipv4Address requester, long now)
    {
        if (IsOurs(target, now))
            return ArpVerdict.Answer;
        if (!_takeover.Contains(target) || _never.Contains(target))
            return ArpVerdict.Ignore;

        int slot = _table.Find(target.Value);
        if (slot >= 0)
        {
            ref var record = ref _table[slot];
            long age = now - record.Since;
            if (record.State == ClaimState.Alive && IsStillAlive(record.Since, now))
                return ArpVerdict.Ignore;
            if (record.State == ClaimState.Verifying && age < _options.ArpRestartWindow)
            {
                if (age < _options.ProbeWait)
                    return ArpVerdict.Ignore; // our probe may still be answered
                _table.Set(target.Value, ClaimState.Claimed, now);
                return ArpVerdict.Claim;
            }
            if (record.State == ClaimState.Pending && record.Requester == requester.Value && age < _options.ArpRestartWindow)
            {
                if (age < _options.ArpTimeout)
                    return ArpVerdict.Ignore; // asked again too soon: someone may still answer
                if (_options.ProbeWait > 0)
                {
                    _table.Set(target.Value, ClaimState.Verifying, now);
                    return ArpVerdict.Probe;
                }
                _table.Set(target.Value, ClaimState.Claimed, now);
                return ArpVerdict.Claim;
            }
        }
        if (_table.PendingCount >= _options.MaxPendingClaims && (slot < 0 || _table[slot].State != ClaimState.Pending))
        {
            PendingOverflow++;
            return ArpVerdict.Ignore;
        }
        _table.Set(target.Value, ClaimState.Pending, now, requester.Value); // first request, or starting over
        return ArpVerdict.Ignore;
    }

    /// <summary><paramref name="address"/> spoke (ARP or IP) with a MAC that is not the tarpit's:
    /// it is marked alive, and given back if it was ours.</summary>
    public AliveOutcome OnAlive(Ipv4Address address, long now)
    {
        if (!Covers(address))
            return AliveOutcome.None;
        int slot = _table.Find(address.Value);
        var state = slot >= 0 ? _table[slot].State : ClaimState.Empty;
        var outcome = state switch
        {
            ClaimState.Claimed => AliveOutcome.Released,
            ClaimState.Verifying => AliveOutcome.ProbeAnswered,
            ClaimState.Alive when IsStillAlive(_table[slot].Since, now) => AliveOutcome.None,
            _ => _hard.Contains(address) ? AliveOutcome.Released : AliveOutcome.None,
        };
        _table.Set(address.Value, ClaimState.Alive, now);
        return outcome;
    }

    /// <summary>The rule would have claimed <paramref name="address"/>, but something outside the
    /// rule (the host's own routes or neighbours) says it is in use: hold it as alive.</summary>
    public void Refuse(Ipv4Address address, long now) => _table.Set(address.Value, ClaimState.Alive, now);

    /// <summary>Forgets waits and alive marks that have run out: cheap to call often, it looks at a
    /// share of the table in proportion to the time since the last call, the whole of it about
    /// every ten seconds.</summary>
    public void Prune(long now)
    {
        if (_lastSweep == long.MinValue)
            _lastSweep = now;
        long elapsed = now - _lastSweep;
        if (elapsed < Time.Second)
            return;
        int slots = (int)Math.Min(_table.Capacity, (long)_table.Capacity * elapsed / SweepPeriod + 1);
        _table.Sweep(now, _options.ArpRestartWindow, _options.AliveHold, slots);
        _lastSweep = now;
    }

    /// <summary>When <see cref="Prune"/> next has work to do, or <see cref="long.MaxValue"/> when nothing could run out.</summary>
    public long NextPrune => _table.PendingCount + _table.AliveCount == 0 ? long.MaxValue : _lastSweep + Time.Second;

    private bool IsStillAlive(long since, long now) => now - since < _options.AliveHold;
}
