using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Crypto.DevPki;

/// <summary>Where <see cref="DevFederation.WriteTo"/> puts each file, and how a node's identities load back from there.</summary>
public static class DevPkiLayout
{
    public static string NodeFolder(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId);

    public static string PeersFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "peers.json");

    public static string TrustAnchorFile(string pkiDirectory, string country) => Path.Combine(pkiDirectory, "trust", $"{country}-ca.crt");

    public static SigningIdentity LoadSigning(string pkiDirectory, string nodeId) =>
        SigningIdentity.FromPemFiles(Require(pkiDirectory, nodeId, "sign.crt"), Require(pkiDirectory, nodeId, "sign.key"));

    public static DecryptionIdentity LoadDecryption(string pkiDirectory, string nodeId) =>
        DecryptionIdentity.FromPemFiles(Require(pkiDirectory, nodeId, "enc.crt"), Require(pkiDirectory, nodeId, "enc.key"));

    public static PeerDirectory LoadPeers(string pkiDirectory, string nodeId) =>
        PeerDirectory.Load(Require(pkiDirectory, nodeId, "peers.json"));

    private static string Require(string pkiDirectory, string nodeId, string file)
    {
        var path = Path.Combine(pkiDirectory, nodeId, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"node {nodeId} has no {file} in {pkiDirectory} (run 'pki init-dev' first?)", path);
    }
}
