namespace LaBreaSharp.Core.Addressing;

/// <summary>Why the host's own knowledge vetoed a claim.</summary>
public enum ClaimRefusal : byte
{
    None,
    /// <summary>The host routes through this address: it is a gateway.</summary>
    Gateway,
    /// <summary>The host's neighbour table holds this address as reachable at a MAC not the tarpit's.</summary>
    Neighbour,
}

/// <summary>A last word from the host before the claim rule takes an address: the engine asks it
/// only when a claim is about to be made (rarely), never per packet. The live shell reads the
/// kernel's routes and neighbour table; replays have none.</summary>
public interface IClaimCheck
{
    ClaimRefusal Check(Ipv4Address address);
}
