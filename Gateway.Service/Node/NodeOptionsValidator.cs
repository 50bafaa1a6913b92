using Microsoft.Extensions.Options;

namespace Gateway.Service.Node;

/// <summary>Stops a node at start with the name of the setting that is wrong.</summary>
internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    /// <summary>Longer would let a CRL the issuer has replaced days ago hide the revocations of those days.</summary>
    public static readonly TimeSpan MaxCrlGracePeriod = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var problems = new OptionsProblems(NodeOptions.Section);
        problems.Require(options.NodeId, nameof(options.NodeId));
        problems.RequireFile(options.PeersFile, nameof(options.PeersFile));
        problems.RequireFile(options.TlsCertificateFile, nameof(options.TlsCertificateFile));
        problems.RequireFile(options.TlsKeyFile, nameof(options.TlsKeyFile));
        problems.RequireFile(options.SigningCertificateFile, nameof(options.SigningCertificateFile));
        problems.RequireFile(options.SigningKeyFile, nameof(options.SigningKeyFile));
        problems.RequireFile(options.EncryptionCertificateFile, nameof(options.EncryptionCertificateFile));
        problems.RequireFile(options.EncryptionKeyFile, nameof(options.EncryptionKeyFile));
        problems.RequireFile(options.InternalTlsCertificateFile, nameof(options.InternalTlsCertificateFile));
        problems.RequireFile(options.InternalTlsKeyFile, nameof(options.InternalTlsKeyFile));
        problems.RequireFile(options.InternalClientCaFile, nameof(options.InternalClientCaFile));
        for (var i = 0; i < options.CrlFiles.Count; i++)
        {
            problems.RequireFile(options.CrlFiles[i], $"{nameof(options.CrlFiles)}:{i}");
            if (File.Exists(options.CrlFiles[i]) && CrlFiles.Problem(options.CrlFiles[i]) is { } problem)
            {
                problems.Check(false, $"{nameof(options.CrlFiles)}:{i}", $"holds no CRL this node can use: {problem}");
            }
        }

        problems.Check(options.CrlGracePeriod >= TimeSpan.Zero && options.CrlGracePeriod <= MaxCrlGracePeriod, nameof(options.CrlGracePeriod), $"must be between 00:00:00 and {MaxCrlGracePeriod:c}");

        for (var i = 0; i < options.AdditionalDecryptionKeys.Count; i++)
        {
            problems.RequireFile(options.AdditionalDecryptionKeys[i].CertificateFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:CertificateFile");
            problems.RequireFile(options.AdditionalDecryptionKeys[i].KeyFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:KeyFile");
        }

        problems.Check(options.BindAddress is null || System.Net.IPAddress.TryParse(options.BindAddress, out _), nameof(options.BindAddress), "is not an IP address");
        problems.Check(options.PeerBindAddress is null || System.Net.IPAddress.TryParse(options.PeerBindAddress, out _), nameof(options.PeerBindAddress), "is not an IP address");
        problems.Check(options.InternalBindAddress is null || System.Net.IPAddress.TryParse(options.InternalBindAddress, out _), nameof(options.InternalBindAddress), "is not an IP address");
        problems.Check(options.BindAddress is null || options.PeerBindAddress is null || options.BindAddress == options.PeerBindAddress,
            nameof(options.BindAddress), $"differs from {nameof(options.PeerBindAddress)}, whose former name it is: set {nameof(options.PeerBindAddress)} only");
        problems.Check(
            options.PeerPort is >= 0 and <= 65535 && options.InternalPort is >= 0 and <= 65535 && (options.PeerPort == 0 || options.PeerPort != options.InternalPort),
            $"{nameof(options.PeerPort)}/{nameof(options.InternalPort)}", "must be distinct ports");
        return problems.Result();
    }
}
