using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Testing.Nodes;
using Gateway.Tests.Federation;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Cli;

/// <summary>
/// Keys "may be PKCS#8 PEM with a passphrase, or PKCS#12": a real node started from its dev keys re-written in those
/// forms exchanges referrals both ways, and a passphrase that does not open them stops it at start, naming the setting
/// and the file, never the passphrase.
/// </summary>
[Trait("Category", "Cli")]
public sealed class KeyMaterialTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly PbeParameters Pkcs8Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000);

    [Fact]
    public async Task A_node_whose_keys_are_encrypted_PKCS8_PEM_opened_with_the_passphrase_file_exchanges_referrals_both_ways()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var passphrase = NewPassphrase();
        var options = federation.OptionsFor("EE-SKA");
        options.Node.TlsKeyFile = EncryptedPkcs8(options.Node.TlsKeyFile, passphrase);
        options.Node.SigningKeyFile = EncryptedPkcs8(options.Node.SigningKeyFile, passphrase);
        options.Node.EncryptionKeyFile = EncryptedPkcs8(options.Node.EncryptionKeyFile, passphrase);
        options.Node.InternalTlsKeyFile = EncryptedPkcs8(options.Node.InternalTlsKeyFile, passphrase);
        options.Node.KeyPassphraseFile = Path.Combine(federation.Directory, "key-passphrase");
        await File.WriteAllTextAsync(options.Node.KeyPassphraseFile, passphrase + "\n");

        await AssertExchangesBothWaysAsync(federation, options);
    }

    [Fact]
    public async Task A_node_whose_keys_are_PKCS12_files_opened_with_the_passphrase_setting_exchanges_referrals_both_ways()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var passphrase = NewPassphrase();
        var options = federation.OptionsFor("EE-SKA");

        // Certificate and key settings naming the same .p12 file, except signing, whose certificate stays a PEM file.
        options.Node.TlsKeyFile = options.Node.TlsCertificateFile = Pkcs12(options.Node.TlsCertificateFile, options.Node.TlsKeyFile, passphrase);
        options.Node.SigningKeyFile = Pkcs12(options.Node.SigningCertificateFile, options.Node.SigningKeyFile, passphrase);
        options.Node.EncryptionKeyFile = options.Node.EncryptionCertificateFile = Pkcs12(options.Node.EncryptionCertificateFile, options.Node.EncryptionKeyFile, passphrase);
        options.Node.InternalTlsKeyFile = options.Node.InternalTlsCertificateFile = Pkcs12(options.Node.InternalTlsCertificateFile, options.Node.InternalTlsKeyFile, passphrase);
        options.Node.KeyPassphrase = passphrase;

        await AssertExchangesBothWaysAsync(federation, options);
    }

    [Fact]
    public async Task Keys_encrypted_by_openssl_as_PKCS8_and_PKCS12_are_read_and_the_node_exchanges_referrals_both_ways()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        options.Node.KeyPassphraseFile = Path.Combine(federation.Directory, "key-passphrase");
        await File.WriteAllTextAsync(options.Node.KeyPassphraseFile, NewPassphrase() + "\n");
        var passOption = "file:" + options.Node.KeyPassphraseFile; // openssl reads the first line

        // What an operator with OpenSSL 3 would make: PKCS#8 under AES-256-CBC/PBKDF2, and PKCS#12 with its defaults.
        foreach (var key in new[] { options.Node.SigningKeyFile, options.Node.InternalTlsKeyFile })
        {
            await OpenSslAsync(federation.Directory, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", passOption, "-in", key, "-out", key + ".openssl");
        }

        foreach (var (certificate, key) in new[] { (options.Node.TlsCertificateFile, options.Node.TlsKeyFile), (options.Node.EncryptionCertificateFile, options.Node.EncryptionKeyFile) })
        {
            await OpenSslAsync(federation.Directory, "pkcs12", "-export", "-passout", passOption, "-in", certificate, "-inkey", key, "-out", Path.ChangeExtension(key, ".p12"));
        }

        options.Node.SigningKeyFile += ".openssl";
        options.Node.InternalTlsKeyFile += ".openssl";
        options.Node.TlsKeyFile = options.Node.TlsCertificateFile = Path.ChangeExtension(options.Node.TlsKeyFile, ".p12");
        options.Node.EncryptionKeyFile = options.Node.EncryptionCertificateFile = Path.ChangeExtension(options.Node.EncryptionKeyFile, ".p12");

        await AssertExchangesBothWaysAsync(federation, options);
    }

    [Fact]
    public async Task A_wrong_passphrase_for_an_encrypted_PKCS8_key_stops_the_node_at_start_naming_the_setting_and_file_but_not_the_passphrase()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var passphrase = NewPassphrase();
        var wrong = NewPassphrase();
        var options = federation.OptionsFor("EE-SKA");
        options.Node.SigningKeyFile = EncryptedPkcs8(options.Node.SigningKeyFile, passphrase);
        options.Node.KeyPassphraseFile = Path.Combine(federation.Directory, "key-passphrase");
        await File.WriteAllTextAsync(options.Node.KeyPassphraseFile, wrong);

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.BuildAsync(options));

        Assert.Contains($"Gateway:SigningKeyFile: {options.Node.SigningKeyFile} cannot be decrypted", refusal.Message);
        Assert.Contains($"Gateway:KeyPassphraseFile ({options.Node.KeyPassphraseFile})", refusal.Message);
        Assert.DoesNotContain(wrong, refusal.ToString());
        Assert.DoesNotContain(passphrase, refusal.ToString());
    }

    [Fact]
    public async Task A_wrong_passphrase_for_a_PKCS12_file_stops_the_node_at_start_naming_the_setting_and_file_but_not_the_passphrase()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var passphrase = NewPassphrase();
        var wrong = NewPassphrase();
        var options = federation.OptionsFor("EE-SKA");
        options.Node.EncryptionKeyFile = options.Node.EncryptionCertificateFile = Pkcs12(options.Node.EncryptionCertificateFile, options.Node.EncryptionKeyFile, passphrase);
        options.Node.KeyPassphrase = wrong;

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.BuildAsync(options));

        Assert.Contains($"Gateway:EncryptionKeyFile: {options.Node.EncryptionKeyFile} (PKCS#12) cannot be opened with the passphrase from Gateway:KeyPassphrase", refusal.Message);
        Assert.DoesNotContain(wrong, refusal.ToString());
        Assert.DoesNotContain(passphrase, refusal.ToString());
    }

    [Fact]
    public async Task An_encrypted_key_without_a_passphrase_stops_the_node_at_start_saying_which_setting_to_set()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        options.Node.TlsKeyFile = EncryptedPkcs8(options.Node.TlsKeyFile, NewPassphrase());

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.BuildAsync(options));

        Assert.Contains($"Gateway:TlsKeyFile: {options.Node.TlsKeyFile} is an encrypted private key; set Gateway:KeyPassphraseFile", refusal.Message);
    }

    [Fact]
    public async Task A_key_that_does_not_belong_to_its_certificate_stops_the_node_at_start()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        options.Node.SigningKeyFile = options.Node.EncryptionKeyFile;

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.BuildAsync(options));

        Assert.Contains($"Gateway:SigningKeyFile: the key in {options.Node.EncryptionKeyFile} does not belong to the certificate in {options.Node.SigningCertificateFile}", refusal.Message);
    }

    [Fact]
    public async Task Gateway_run_with_a_wrong_passphrase_exits_2_naming_the_setting_and_never_prints_the_passphrase()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var passphrase = NewPassphrase();
        var wrong = NewPassphrase();
        var options = federation.OptionsFor("EE-SKA");
        var encryptedTlsKey = EncryptedPkcs8(options.Node.TlsKeyFile, passphrase);
        var passphraseFile = Path.Combine(federation.Directory, "key-passphrase");
        await File.WriteAllTextAsync(passphraseFile, wrong + "\n");

        using var process = GatewayProcess.Start(
            new Dictionary<string, string?>
            {
                ["RABBITMQ_URI"] = null,
                ["POSTGRES_CONNECTION"] = null,
                ["Gateway__TlsKeyFile"] = encryptedTlsKey,
                ["Gateway__KeyPassphraseFile"] = passphraseFile,
            },
            "run", "--pki", federation.Pki, "--node", "EE-SKA", "--data-dir", Path.Combine(federation.Directory, "run"));
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"run: The gateway configuration is not valid: Gateway:TlsKeyFile: {encryptedTlsKey} cannot be decrypted with the passphrase from Gateway:KeyPassphraseFile ({passphraseFile})", await error);
        Assert.DoesNotContain(wrong, await error + await output);
        Assert.DoesNotContain(passphrase, await error + await output);
    }

    /// <summary>Starts the re-keyed EE-SKA beside a plain FI-NRM and sends one consultation each way: TLS client and server, signing, decryption and receipts all use the re-written keys.</summary>
    private static async Task AssertExchangesBothWaysAsync(TestFederation federation, GatewayNodeOptions rekeyed)
    {
        var node = await federation.StartAsync(rekeyed);
        var partner = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        var outbound = await node.ConsultAsync("FI-NRM");
        var inbound = await partner.ConsultAsync("EE-SKA");

        Assert.Equal(DeliveryState.Delivered, (await node.WaitForStateAsync(outbound.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.Equal(DeliveryState.Delivered, (await partner.WaitForStateAsync(inbound.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.NotNull(await node.Stores.Inbox.GetAsync(inbound.MessageId, CancellationToken.None));
    }

    private static async Task OpenSslAsync(string directory, params string[] arguments)
    {
        var result = await Crypto.OpenSsl.RunAsync(directory, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}");
    }

    private static string NewPassphrase() => "SYNTHETIC-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    /// <summary>The dev key re-written as encrypted PKCS#8 PEM beside the original; returns its path.</summary>
    private static string EncryptedPkcs8(string keyFile, string passphrase)
    {
        using var key = ECDsa.Create(); // every dev key is EC; ECDsa reads any EC PKCS#8 key, whatever its use
        key.ImportFromPem(File.ReadAllText(keyFile));
        var encrypted = keyFile + ".encrypted";
        File.WriteAllText(encrypted, key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, Pkcs8Encryption));
        return encrypted;
    }

    /// <summary>The dev certificate and key as one PKCS#12 file beside them; returns its path.</summary>
    private static string Pkcs12(string certificateFile, string keyFile, string passphrase)
    {
        using var pair = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var file = Path.ChangeExtension(keyFile, ".p12");
        File.WriteAllBytes(file, pair.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, passphrase));
        return file;
    }
}
