namespace Gateway.Contracts.Peering;

public enum PeerKind
{
    ContactPoint,
    Ngo,
    LawEnforcement,
}
