namespace Gateway.Service.Node;

/// <summary>A certificate and its private key, as PEM files.</summary>
public sealed class CertificateKeyFiles
{
    public string CertificateFile { get; set; } = string.Empty;

    public string KeyFile { get; set; } = string.Empty;
}
