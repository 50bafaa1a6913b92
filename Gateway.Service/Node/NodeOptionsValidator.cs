using Microsoft.Extensions.Options;

namespace Gateway.Service.Node;

/// <summary>Stops a node at start with the name of the setting that is wrong.</summary>
internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
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
        }

        for (var i = 0; i < options.AdditionalDecryptionKeys.Count; i++)
        {
            problems.RequireFile(options.AdditionalDecryptionKeys[i].CertificateFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:CertificateFile");
            problems.RequireFile(options.AdditionalDecryptionKeys[i].KeyFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:KeyFile");
        }

        problems.Check(System.Net.IPAddress.TryParse(options.BindAddress, out _), nameof(options.BindAddress), "is not an IP address");
        problems.Check(
            options.PeerPort is >= 0 and <= 65535 && options.InternalPort is >= 0 and <= 65535 && (options.PeerPort == 0 || options.PeerPort != options.InternalPort),
            $"{nameof(options.PeerPort)}/{nameof(options.InternalPort)}", "must be distinct ports");
        return problems.Result();
    }
}
