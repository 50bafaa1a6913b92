using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Peers;

namespace Gateway.Tests.Cli;

[Trait("Category", "Cli")]
public sealed class PkiInitDevCommandTests
{
    private static readonly string[] Nodes = ["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"];
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string OrganizationalUnit = "2.5.4.11";
    private const string CommonName = "2.5.4.3";

    [Fact]
    public void Init_dev_writes_a_CA_per_state_and_eight_PEM_files_peers_json_and_people_json_per_node()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");

        var result = CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", string.Join(',', Nodes));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["EE-ca.crt", "FI-ca.crt", "LV-ca.crt"], Directory.GetFiles(Path.Combine(pki, "trust")).Select(Path.GetFileName).Order());
        foreach (var node in Nodes)
        {
            Assert.Equal(
                ["enc.crt", "enc.key", "internal-tls.crt", "internal-tls.key", "peers.json", "people.json", "sign.crt", "sign.key", "tls.crt", "tls.key"],
                Directory.GetFiles(Path.Combine(pki, node)).Select(Path.GetFileName).Order());
            var keyPem = File.ReadAllText(Path.Combine(pki, node, "sign.key"));
            Assert.Equal("PRIVATE KEY", keyPem[PemEncoding.Find(keyPem).Label]); // PKCS#8, unencrypted
        }
    }

    [Fact]
    public void Init_dev_peers_json_lists_every_other_node_with_pins_that_load()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");
        CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", string.Join(',', Nodes));

        var directory = PeerDirectory.Load(Path.Combine(pki, "EE-SKA", "peers.json"));

        Assert.Equal("EE-SKA", directory.Self.Id);
        Assert.Equal(["FI-NRM", "LV-NGO-SAFEHOUSE"], directory.Peers.Select(peer => peer.Id));
        Assert.Equal(Gateway.Contracts.Peering.PeerKind.Ngo, directory.Find("LV-NGO-SAFEHOUSE")!.Kind);
        var finnishSigning = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "FI-NRM", "sign.crt")));
        Assert.Equal(finnishSigning.Thumbprint, directory.Find("FI-NRM")!.Signing.Single().Thumbprint);
    }

    [Fact]
    public void Init_dev_with_rsa_encryption_keys_issues_RSA_encryption_certificates()
    {
        using var temp = new TempDirectory();
        var pki = temp.File("pki");

        var result = CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", "EE-SKA,FI-NRM", "--enc-key", "rsa");

        Assert.Equal(0, result.ExitCode);
        using var encryption = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "FI-NRM", "enc.crt")));
        Assert.NotNull(encryption.GetRSAPublicKey());
        Assert.Equal(X509KeyUsageFlags.KeyEncipherment, encryption.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void Init_dev_refuses_a_folder_that_already_holds_files_so_no_key_is_overwritten()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("existing.txt"), "keep me");

        var result = CliRunner.Run("pki", "init-dev", "--out", temp.Path, "--nodes", "EE-SKA");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not empty", result.Error);
        Assert.Equal("keep me", File.ReadAllText(temp.File("existing.txt")));
    }

    [Fact]
    public void Init_dev_names_a_node_id_that_has_no_state_prefix()
    {
        using var temp = new TempDirectory();

        var result = CliRunner.Run("pki", "init-dev", "--out", temp.File("pki"), "--nodes", "EE-SKA,shelter");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'shelter'", result.Error);
    }

    [Fact]
    public void Init_dev_writes_an_internal_CA_its_CRL_and_a_certificate_and_PKCS8_key_per_person_into_each_nodes_clients_folder()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        foreach (var node in Nodes)
        {
            Assert.Equal(
                ["auditor.crt", "auditor.key", "caseworker-b.crt", "caseworker-b.key", "caseworker.crt", "caseworker.key", "dpo.crt", "dpo.key",
                 "internal-ca.crl", "internal-ca.crt", "operator.crt", "operator.key"],
                Directory.GetFiles(DevPkiLayout.ClientsFolder(pki, node)).Select(Path.GetFileName).Order());
            foreach (var handle in DevPeople.Handles)
            {
                Assert.Equal("PRIVATE KEY", PemLabel(DevPkiLayout.ClientKeyFile(pki, node, handle)));
            }

            // The CRL starts empty (DER, as CRL distribution points serve it): nobody is revoked yet.
            var revoked = CertificateRevocationListBuilder.Load(File.ReadAllBytes(DevPkiLayout.InternalCrlFile(pki, node)), out var crlNumber);
            Assert.Equal(System.Numerics.BigInteger.One, crlNumber);
            foreach (var handle in DevPeople.Handles)
            {
                using var person = Certificate(DevPkiLayout.ClientCertificateFile(pki, node, handle));
                Assert.False(revoked.RemoveEntry(person.SerialNumberBytes.Span), $"{node} {handle} is revoked from the start");
            }

            Assert.Equal("PRIVATE KEY", PemLabel(DevPkiLayout.InternalTlsKeyFile(pki, node)));
            Assert.Equal("CERTIFICATE", PemLabel(DevPkiLayout.InternalTlsCertificateFile(pki, node)));
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Init_dev_makes_every_key_file_readable_and_writable_by_the_owner_only()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        var keys = Directory.GetFiles(pki, "*.key", SearchOption.AllDirectories);

        Assert.Equal(Nodes.Length * (4 + DevPeople.Handles.Count), keys.Length); // tls, sign, enc, internal-tls and one per person
        Assert.All(keys, key => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key)));
    }

    [Fact]
    public void Init_dev_writes_no_private_key_of_a_state_CA_or_an_internal_CA()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);
        var authorities = Directory.GetFiles(Path.Combine(pki, "trust"))
            .Concat(Nodes.Select(node => DevPkiLayout.InternalCaFile(pki, node)))
            .Select(file => Certificate(file).PublicKey.ExportSubjectPublicKeyInfo())
            .ToList();

        var privateKeys = Directory.GetFiles(pki, "*", SearchOption.AllDirectories).Where(file => PemLabel(file) == "PRIVATE KEY").ToList();

        Assert.Equal(Nodes.Length * (4 + DevPeople.Handles.Count), privateKeys.Count);
        foreach (var file in privateKeys)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(file));
            var publicKey = key.ExportSubjectPublicKeyInfo();
            Assert.DoesNotContain(authorities, authority => authority.AsSpan().SequenceEqual(publicKey));
        }
    }

    [Fact]
    public void Init_dev_names_each_internal_CA_for_its_node()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        foreach (var node in Nodes)
        {
            using var authority = Certificate(DevPkiLayout.InternalCaFile(pki, node));
            Assert.Equal($"CN={node} Internal CA, O={node}", authority.Subject);
            Assert.True(authority.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, ECCurveOid(authority));
        }
    }

    [Fact]
    public void Client_certificates_chain_to_their_own_nodes_internal_CA()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        foreach (var node in Nodes)
        {
            using var authority = Certificate(DevPkiLayout.InternalCaFile(pki, node));
            foreach (var role in DevPeople.Handles)
            {
                using var client = Certificate(DevPkiLayout.ClientCertificateFile(pki, node, role));
                Assert.True(ChainsTo(client, authority), $"{node} {role} does not chain to {node}'s internal CA");
            }
        }
    }

    [Fact]
    public void Client_certificates_do_not_chain_to_another_nodes_internal_CA_or_to_any_state_CA()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);
        var stateAuthorities = Directory.GetFiles(Path.Combine(pki, "trust")).Select(Certificate).ToList();

        foreach (var node in Nodes)
        {
            foreach (var role in DevPeople.Handles)
            {
                using var client = Certificate(DevPkiLayout.ClientCertificateFile(pki, node, role));
                foreach (var other in Nodes.Where(other => other != node))
                {
                    using var otherAuthority = Certificate(DevPkiLayout.InternalCaFile(pki, other));
                    Assert.False(ChainsTo(client, otherAuthority), $"{node} {role} chains to {other}'s internal CA");
                }

                Assert.All(stateAuthorities, state => Assert.False(ChainsTo(client, state), $"{node} {role} chains to {state.Subject}"));
            }
        }

        stateAuthorities.ForEach(state => state.Dispose());
    }

    [Fact]
    public void Client_certificates_name_their_person_by_id_only_carry_no_role_and_are_for_client_authentication_only()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        foreach (var node in Nodes)
        {
            var clients = Directory.GetFiles(DevPkiLayout.ClientsFolder(pki, node), "*.crt").Where(file => Path.GetFileName(file) != "internal-ca.crt").ToList();
            Assert.Equal(DevPeople.Handles.Order(), clients.Select(Path.GetFileNameWithoutExtension).Order());
            foreach (var file in clients)
            {
                using var client = Certificate(file);
                var handle = Path.GetFileNameWithoutExtension(file);
                // Roles and units come from people.json, never from the certificate, and the subject names no one.
                Assert.Equal($"CN={DevPeople.IdOf(node, handle)}, O={node}", client.Subject);
                Assert.Null(Attribute(client.SubjectName, OrganizationalUnit));
                Assert.Equal([ClientAuth], ExtendedKeyUsages(client));
                Assert.Equal(X509KeyUsageFlags.DigitalSignature, client.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
                Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, ECCurveOid(client));
                Assert.InRange(client.NotAfter - client.NotBefore, TimeSpan.FromDays(365), TimeSpan.FromDays(366));
            }
        }
    }

    [Fact]
    public void Internal_TLS_certificate_is_for_server_authentication_on_localhost_and_loopback_and_chains_to_the_internal_CA()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);

        foreach (var node in Nodes)
        {
            using var server = Certificate(DevPkiLayout.InternalTlsCertificateFile(pki, node));
            using var authority = Certificate(DevPkiLayout.InternalCaFile(pki, node));
            var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

            Assert.Equal($"CN={node} internal", server.Subject);
            Assert.Equal([ServerAuth], ExtendedKeyUsages(server));
            Assert.Equal(X509KeyUsageFlags.DigitalSignature, server.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
            Assert.Equal(["localhost"], names.EnumerateDnsNames());
            Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
            Assert.True(ChainsTo(server, authority));
        }
    }

    [Fact]
    public void Load_client_certificate_returns_the_role_certificate_with_its_private_key()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);
        using var written = Certificate(DevPkiLayout.ClientCertificateFile(pki, "FI-NRM", DevClientRoles.Auditor));

        using var loaded = DevPkiLayout.LoadClientCertificate(pki, "FI-NRM", DevClientRoles.Auditor);

        Assert.Equal(written.Thumbprint, loaded.Thumbprint);
        using var key = loaded.GetECDsaPrivateKey();
        Assert.NotNull(key);
        var signature = key.SignData("challenge"u8, HashAlgorithmName.SHA256);
        using var publicKey = written.GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyData("challenge"u8, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Load_client_certificate_names_the_missing_file_when_init_dev_has_not_run()
    {
        using var temp = new TempDirectory();

        var exception = Assert.Throws<FileNotFoundException>(() => DevPkiLayout.LoadClientCertificate(temp.Path, "EE-SKA", DevClientRoles.Caseworker));

        Assert.Contains(Path.Combine("clients", "caseworker.crt"), exception.Message);
    }

    [Fact]
    public void Client_certificate_paths_accept_only_known_roles()
    {
        Assert.Throws<ArgumentException>(() => DevPkiLayout.ClientKeyFile("pki", "EE-SKA", Path.Combine("..", "..", "tls")));
    }

    [Fact]
    public async Task Loaded_client_certificate_authenticates_to_a_TLS_server_holding_the_internal_TLS_certificate()
    {
        using var temp = new TempDirectory();
        var pki = InitDev(temp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var authority = Certificate(DevPkiLayout.InternalCaFile(pki, "EE-SKA"));
        using var pemServer = X509Certificate2.CreateFromPemFile(DevPkiLayout.InternalTlsCertificateFile(pki, "EE-SKA"), DevPkiLayout.InternalTlsKeyFile(pki, "EE-SKA"));
        using var serverCertificate = X509CertificateLoader.LoadPkcs12(pemServer.Export(X509ContentType.Pkcs12), null);
        using var clientCertificate = DevPkiLayout.LoadClientCertificate(pki, "EE-SKA", DevClientRoles.Operator);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serverSide = Task.Run(
                async () =>
                {
                    using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
                    await using var tls = new SslStream(accepted.GetStream());
                    await tls.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions
                        {
                            ServerCertificate = serverCertificate,
                            ClientCertificateRequired = true,
                            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                                certificate is X509Certificate2 presented && ChainsTo(presented, authority),
                        },
                        timeout.Token);
                    return tls.RemoteCertificate is X509Certificate2 presented ? Attribute(presented.SubjectName, CommonName) : null;
                },
                timeout.Token);

            using var connection = new TcpClient();
            await connection.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await using var client = new SslStream(connection.GetStream());
            await client.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = [clientCertificate],
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                        && certificate is X509Certificate2 presented && ChainsTo(presented, authority),
                },
                timeout.Token);

            Assert.Equal(DevPeople.IdOf("EE-SKA", DevPeople.Operator), await serverSide);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string InitDev(TempDirectory temp)
    {
        var pki = temp.File("pki");
        var result = CliRunner.Run("pki", "init-dev", "--out", pki, "--nodes", string.Join(',', Nodes));
        Assert.Equal(0, result.ExitCode);
        return pki;
    }

    private static X509Certificate2 Certificate(string file) => X509Certificate2.CreateFromPem(File.ReadAllText(file));

    private static string? PemLabel(string file)
    {
        var text = File.ReadAllText(file);
        return PemEncoding.TryFind(text, out var fields) ? text[fields.Label] : null;
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static string? Attribute(X500DistinguishedName name, string oid) =>
        name.EnumerateRelativeDistinguishedNames().SingleOrDefault(part => part.GetSingleElementType().Value == oid)?.GetSingleElementValue();

    private static string[] ExtendedKeyUsages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(usage => usage.Value ?? "").ToArray();

    private static string? ECCurveOid(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPublicKey();
        return key?.ExportParameters(includePrivateParameters: false).Curve.Oid.Value;
    }
}
