namespace Gateway.Service.Hosting;

/// <summary>Stops a node at start with the name of the setting that is wrong.</summary>
internal static class GatewayNodeOptionsValidator
{
    public static void ThrowIfInvalid(GatewayNodeOptions options)
    {
        var problems = new List<string>();
        void Require(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{GatewayNodeOptions.Section}:{name} is required");
            }
        }

        void RequireFile(string value, string name)
        {
            Require(value, name);
            if (!string.IsNullOrWhiteSpace(value) && !File.Exists(value))
            {
                problems.Add($"{GatewayNodeOptions.Section}:{name}: file {value} does not exist");
            }
        }

        Require(options.NodeId, nameof(options.NodeId));
        RequireFile(options.PeersFile, nameof(options.PeersFile));
        RequireFile(options.TlsCertificateFile, nameof(options.TlsCertificateFile));
        RequireFile(options.TlsKeyFile, nameof(options.TlsKeyFile));
        RequireFile(options.SigningCertificateFile, nameof(options.SigningCertificateFile));
        RequireFile(options.SigningKeyFile, nameof(options.SigningKeyFile));
        RequireFile(options.EncryptionCertificateFile, nameof(options.EncryptionCertificateFile));
        RequireFile(options.EncryptionKeyFile, nameof(options.EncryptionKeyFile));
        RequireFile(options.InternalTlsCertificateFile, nameof(options.InternalTlsCertificateFile));
        RequireFile(options.InternalTlsKeyFile, nameof(options.InternalTlsKeyFile));
        RequireFile(options.InternalClientCaFile, nameof(options.InternalClientCaFile));
        Require(options.ContentKeyFile, nameof(options.ContentKeyFile));
        for (var i = 0; i < options.CrlFiles.Count; i++)
        {
            RequireFile(options.CrlFiles[i], $"{nameof(options.CrlFiles)}:{i}");
        }

        for (var i = 0; i < options.AdditionalDecryptionKeys.Count; i++)
        {
            RequireFile(options.AdditionalDecryptionKeys[i].CertificateFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:CertificateFile");
            RequireFile(options.AdditionalDecryptionKeys[i].KeyFile, $"{nameof(options.AdditionalDecryptionKeys)}:{i}:KeyFile");
        }

        Require(options.ConnectionString, nameof(options.ConnectionString));
        if (!System.Net.IPAddress.TryParse(options.BindAddress, out _))
        {
            problems.Add($"{GatewayNodeOptions.Section}:{nameof(options.BindAddress)} is not an IP address");
        }

        if (options.PeerPort is < 0 or > 65535 || options.InternalPort is < 0 or > 65535 || (options.PeerPort != 0 && options.PeerPort == options.InternalPort))
        {
            problems.Add($"{GatewayNodeOptions.Section}:{nameof(options.PeerPort)}/{nameof(options.InternalPort)} must be distinct ports");
        }

        if (options.MaxEnvelopeBytes <= 0)
        {
            problems.Add($"{GatewayNodeOptions.Section}:{nameof(options.MaxEnvelopeBytes)} must be positive");
        }

        if (!string.IsNullOrEmpty(options.RabbitMqUri) && !Uri.TryCreate(options.RabbitMqUri, UriKind.Absolute, out _))
        {
            problems.Add($"{GatewayNodeOptions.Section}:{nameof(options.RabbitMqUri)} is not an absolute URI");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The gateway configuration is not valid: " + string.Join("; ", problems));
        }
    }
}
