using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Receipts;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Receipts;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// The receiver's signed receipt is proof of delivery: OpenSSL can verify it, and the sender accepts it only for the
/// message and the exact bytes it sent, signed by the peer it sent them to.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class SignedReceiptTests(EcFederationFixture ec) : IDisposable
{
    private readonly ScratchDirectory _scratch = new();
    private readonly ReceiptSigner _signer = new(TimeProvider.System);

    [Fact]
    public async Task Receipt_verifies_in_openssl_against_the_receivers_state_CA_to_the_receipt_json()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var receipt = ReceiptFor(messageId, envelope, receiver: Finland);
        await File.WriteAllBytesAsync(_scratch.File("receipt.der"), _signer.Sign(receipt, ec.SignerOf(Finland)));

        await OpenSsl.CmsAsync(
            _scratch.Path, "-verify", "-binary", "-inform", "DER", "-in", "receipt.der",
            "-CAfile", ec.CaFileOf(Finland), "-out", "receipt.json");

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(receipt, GatewayJson.Options), await File.ReadAllBytesAsync(_scratch.File("receipt.json")));
    }

    [Fact]
    public void Receipt_from_the_recipient_for_the_bytes_sent_is_accepted_by_the_sender()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var receipt = ReceiptFor(messageId, envelope, receiver: Finland);
        var signed = _signer.Sign(receipt, ec.SignerOf(Finland));

        var verified = SenderVerifier().Verify(signed, Finland, messageId, envelope);

        Assert.Equal(receipt, verified);
    }

    [Fact]
    public void Receipt_for_other_envelope_bytes_is_rejected_with_RECEIPT_MISMATCH()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var signed = _signer.Sign(ReceiptFor(messageId, envelope, receiver: Finland), ec.SignerOf(Finland));
        var resealed = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        var exception = Assert.Throws<EnvelopeException>(() => SenderVerifier().Verify(signed, Finland, messageId, resealed));

        Assert.Equal(EnvelopeErrorCodes.ReceiptMismatch, exception.Code);
    }

    [Fact]
    public void Receipt_for_another_message_id_is_rejected_with_RECEIPT_MISMATCH()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var signed = _signer.Sign(ReceiptFor(Guid.NewGuid(), envelope, receiver: Finland), ec.SignerOf(Finland));

        var exception = Assert.Throws<EnvelopeException>(() => SenderVerifier().Verify(signed, Finland, messageId, envelope));

        Assert.Equal(EnvelopeErrorCodes.ReceiptMismatch, exception.Code);
    }

    [Fact]
    public void Receipt_signed_by_a_peer_other_than_the_recipient_is_rejected_with_SIGNER_MISMATCH()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var signed = _signer.Sign(ReceiptFor(messageId, envelope, receiver: Finland), ec.SignerOf(Shelter));

        var exception = Assert.Throws<EnvelopeException>(() => SenderVerifier().Verify(signed, Finland, messageId, envelope));

        Assert.Equal(EnvelopeErrorCodes.SignerMismatch, exception.Code);
    }

    [Fact]
    public void Receipt_with_a_flipped_signature_byte_is_rejected_with_SIGNATURE_INVALID()
    {
        var (envelope, messageId) = SealFromEstoniaToFinland();
        var signed = _signer.Sign(ReceiptFor(messageId, envelope, receiver: Finland), ec.SignerOf(Finland));
        var signature = CmsParts.SignatureValue(signed);
        var tampered = Tampering.FlipByteWithin(signed, signature, signature.Length - 1);

        var exception = Assert.Throws<EnvelopeException>(() => SenderVerifier().Verify(tampered, Finland, messageId, envelope));

        Assert.Equal(EnvelopeErrorCodes.SignatureInvalid, exception.Code);
    }

    public void Dispose() => _scratch.Dispose();

    private (byte[] Envelope, Guid MessageId) SealFromEstoniaToFinland()
    {
        var payload = SyntheticPayloads.Consultation(Estonia, Finland);
        return (ec.Seal(payload), payload.Header.MessageId);
    }

    private static Receipt ReceiptFor(Guid messageId, byte[] envelope, string receiver) => new()
    {
        MessageId = messageId,
        EnvelopeSha256 = ReceiptSigner.EnvelopeDigest(envelope),
        ReceivedAt = new DateTimeOffset(2025, 3, 14, 9, 31, 0, TimeSpan.Zero),
        Receiver = receiver,
        Sender = Estonia,
        Status = ReceiptStatus.Accepted,
    };

    private ReceiptVerifier SenderVerifier() => new(ec.PeersOf(Estonia), new CertificateValidator(TimeProvider.System));
}
