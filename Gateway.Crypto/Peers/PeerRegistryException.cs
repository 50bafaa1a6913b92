namespace Gateway.Crypto.Peers;

/// <summary>peers.json is wrong; the message names the field, e.g. <c>peers[1].signing[0].pin</c>.</summary>
public sealed class PeerRegistryException(string field, string problem)
    : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}
