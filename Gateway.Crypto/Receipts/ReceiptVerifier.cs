using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Receipts;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Peers;

namespace Gateway.Crypto.Receipts;

/// <summary>
/// The sender's check of a receipt: signed by the receiving peer's registered signing certificate, for the message
/// that was sent, over the digest of exactly the bytes that were sent, naming both nodes.
/// </summary>
public sealed class ReceiptVerifier(PeerDirectory peers, CertificateValidator validator)
{
    /// <summary>The receivers' signing certificates this verifier has loaded.</summary>
    private readonly CertificateCache _certificates = new(capacity: 1024);

    public Receipt Verify(byte[] signedReceipt, string expectedReceiver, Guid messageId, ReadOnlySpan<byte> envelopeSent)
    {
        var signed = SignedDataCodec.Verify(signedReceipt, _certificates);
        var (signer, _) = peers.Authenticate(signed.SignerCertificate, CertificateRole.Signing, validator, signed.IncludedCertificates);
        if (signer.Id != expectedReceiver)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.SignerMismatch, $"receipt for message {messageId} is signed by {signer.Id}, expected {expectedReceiver}");
        }

        Receipt receipt;
        try
        {
            receipt = JsonSerializer.Deserialize<Receipt>(signed.Content, GatewayJson.Options)
                ?? throw new EnvelopeException(EnvelopeErrorCodes.ReceiptMismatch, "the receipt is JSON null");
        }
        catch (JsonException exception)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.ReceiptMismatch, $"the receipt is not a valid receipt document at {exception.Path ?? "$"}");
        }

        var digest = ReceiptSigner.EnvelopeDigest(envelopeSent);
        if (receipt.MessageId != messageId || receipt.EnvelopeSha256 != digest
            || receipt.Receiver != expectedReceiver || receipt.Sender != peers.Self.Id)
        {
            throw new EnvelopeException(EnvelopeErrorCodes.ReceiptMismatch, $"the receipt does not acknowledge message {messageId} as sent from {peers.Self.Id} to {expectedReceiver}");
        }

        return receipt;
    }
}
