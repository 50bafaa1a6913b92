using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Crypto.DevPki;

/// <summary>Where <see cref="DevFederation.WriteTo"/> puts each file, and how a node's identities load back from there.</summary>
public static class DevPkiLayout
{
    public static string NodeFolder(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId);

    public static string PeersFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "peers.json");

    public static string TrustAnchorFile(string pkiDirectory, string country) => Path.Combine(pkiDirectory, "trust", $"{country}-ca.crt");

    /// <summary>The node's internal CA certificate and one certificate and key per caseworker/operator role.</summary>
    public static string ClientsFolder(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "clients");

    /// <summary>The only anchor the node's internal listener trusts for client certificates.</summary>
    public static string InternalCaFile(string pkiDirectory, string nodeId) => Path.Combine(ClientsFolder(pkiDirectory, nodeId), "internal-ca.crt");

    public static string ClientCertificateFile(string pkiDirectory, string nodeId, string role) =>
        Path.Combine(ClientsFolder(pkiDirectory, nodeId), $"{KnownRole(role)}.crt");

    public static string ClientKeyFile(string pkiDirectory, string nodeId, string role) =>
        Path.Combine(ClientsFolder(pkiDirectory, nodeId), $"{KnownRole(role)}.key");

    /// <summary>The node's people.json: units, intake unit, and the dev people with their certificates.</summary>
    public static string PeopleFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "people.json");

    /// <summary>The internal CA's CRL (DER): what revokes a person's client certificate.</summary>
    public static string InternalCrlFile(string pkiDirectory, string nodeId) => Path.Combine(ClientsFolder(pkiDirectory, nodeId), "internal-ca.crl");

    /// <summary>
    /// Where a dev node keeps its key-encryption key: beside its certificates, outside its data folder (the node
    /// creates it at first start; DESIGN §15).
    /// </summary>
    public static string KeyEncryptionKeyFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "data-keys.kek");

    public static string InternalTlsCertificateFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "internal-tls.crt");

    public static string InternalTlsKeyFile(string pkiDirectory, string nodeId) => Path.Combine(pkiDirectory, nodeId, "internal-tls.key");

    public static SigningIdentity LoadSigning(string pkiDirectory, string nodeId) =>
        SigningIdentity.FromPemFiles(Require(pkiDirectory, nodeId, "sign.crt"), Require(pkiDirectory, nodeId, "sign.key"));

    public static DecryptionIdentity LoadDecryption(string pkiDirectory, string nodeId) =>
        DecryptionIdentity.FromPemFiles(Require(pkiDirectory, nodeId, "enc.crt"), Require(pkiDirectory, nodeId, "enc.key"));

    public static PeerDirectory LoadPeers(string pkiDirectory, string nodeId) =>
        PeerDirectory.Load(Require(pkiDirectory, nodeId, "peers.json"));

    /// <summary>The client certificate of <paramref name="role"/> at <paramref name="nodeId"/>, with its private key, ready for SslStream.</summary>
    public static X509Certificate2 LoadClientCertificate(string pkiDirectory, string nodeId, string role)
    {
        var certificateFile = RequirePath(pkiDirectory, nodeId, ClientCertificateFile(pkiDirectory, nodeId, role));
        var keyFile = RequirePath(pkiDirectory, nodeId, ClientKeyFile(pkiDirectory, nodeId, role));

        // Re-import so the key is usable by SslStream on every platform (PEM keys are ephemeral), as NodeIdentity does.
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static string Require(string pkiDirectory, string nodeId, string file) =>
        RequirePath(pkiDirectory, nodeId, Path.Combine(pkiDirectory, nodeId, file));

    private static string RequirePath(string pkiDirectory, string nodeId, string path) =>
        File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"node {nodeId} has no {Path.GetRelativePath(NodeFolder(pkiDirectory, nodeId), path)} in {pkiDirectory} (run 'pki init-dev' first?)", path);

    // The handle becomes part of a file path, so only the known handles are accepted.
    private static string KnownRole(string role) =>
        DevPeople.Handles.Contains(role, StringComparer.Ordinal)
            ? role
            : throw new ArgumentException($"'{role}' is not one of {string.Join(", ", DevPeople.Handles)}.", nameof(role));
}
