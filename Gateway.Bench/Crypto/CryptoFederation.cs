using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;
using Gateway.Crypto.Receipts;

namespace Gateway.Bench.Crypto;

/// <summary>
/// A sending and a receiving node of a development federation, loaded from the PEM files the way a node loads them
/// (<see cref="DevPkiLayout"/>): the sender seals to the receiver's encryption certificate from its own peers.json,
/// the receiver opens and signs the receipt, the sender verifies it.
/// </summary>
internal sealed class CryptoFederation : IDisposable
{
    public const string Sender = "EE-SKA";
    public const string Receiver = "FI-NRM";

    private readonly SigningIdentity _senderSigning;
    private readonly SigningIdentity _receiverSigning;
    private readonly DecryptionIdentity _receiverDecryption;

    public CryptoFederation(string pki, EncryptionKeyKind kind)
    {
        Pki = pki;
        Kind = kind;
        _senderSigning = DevPkiLayout.LoadSigning(pki, Sender);
        _receiverSigning = DevPkiLayout.LoadSigning(pki, Receiver);
        _receiverDecryption = DevPkiLayout.LoadDecryption(pki, Receiver);
        SenderPeers = DevPkiLayout.LoadPeers(pki, Sender);
        ReceiverPeers = DevPkiLayout.LoadPeers(pki, Receiver);
        RecipientCertificate = SenderPeers.Find(Receiver)!.Encryption[0];
        var validator = new CertificateValidator(TimeProvider.System);
        Opener = new EnvelopeOpener(_receiverDecryption, ReceiverPeers, validator);
        ReceiptVerifier = new ReceiptVerifier(SenderPeers, validator);
        Validator = validator;
    }

    public string Pki { get; }

    public EncryptionKeyKind Kind { get; }

    public PeerDirectory SenderPeers { get; }

    public PeerDirectory ReceiverPeers { get; }

    /// <summary>The receiver's encryption certificate as the sender's registry holds it.</summary>
    public X509Certificate2 RecipientCertificate { get; }

    public EnvelopeSealer Sealer { get; } = new(TimeProvider.System);

    public EnvelopeOpener Opener { get; }

    public ReceiptSigner ReceiptSigner { get; } = new(TimeProvider.System);

    public ReceiptVerifier ReceiptVerifier { get; }

    public CertificateValidator Validator { get; }

    public SigningIdentity SenderSigning => _senderSigning;

    public SigningIdentity ReceiverSigning => _receiverSigning;

    /// <summary>Writes a new two-node federation with <paramref name="kind"/> encryption keys to a new temporary folder.</summary>
    public static string WriteNew(EncryptionKeyKind kind)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"gateway-bench-pki-{kind}-{Guid.NewGuid():N}");
        using var federation = DevFederation.Create([Sender, Receiver], kind, DateTimeOffset.UtcNow);
        federation.WriteTo(directory);
        return directory;
    }

    public void Dispose()
    {
        _senderSigning.Dispose();
        _receiverSigning.Dispose();
        _receiverDecryption.Dispose();
    }
}
