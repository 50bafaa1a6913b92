using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;

namespace Gateway.Crypto.Envelopes;

/// <summary>
/// Decrypt, verify, identify the signer, and check the header addresses: everything a receiving node must know
/// before it may store an envelope. Every refusal is an <see cref="EnvelopeException"/> with a stable code.
/// </summary>
public sealed class EnvelopeOpener(IReadOnlyList<DecryptionIdentity> identities, PeerDirectory peers, CertificateValidator validator)
{
    public EnvelopeOpener(DecryptionIdentity identity, PeerDirectory peers, CertificateValidator validator)
        : this([identity], peers, validator)
    {
    }

    /// <summary>The signers' certificates this opener has loaded (a partner signs everything with the same few).</summary>
    private readonly CertificateCache _certificates = new(capacity: 1024);

    /// <summary>
    /// Opens an envelope read from a file (<c>gateway envelope open</c>, tests): every content cipher of the protocol
    /// is accepted and every failure names its own cause. Nobody can ask this questions over a network; an endpoint
    /// that can be asked must use <see cref="Open(byte[], string)"/>.
    /// </summary>
    public OpenedEnvelope Open(byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Verify(DecryptNamingFailures(envelope));
    }

    /// <summary>
    /// Opens an envelope a peer delivered over the network. EnvelopedData (AES-CBC) is opened only when
    /// <paramref name="deliveredBy"/> is a peer configured with <c>acceptCbc</c>, and refused before decryption
    /// otherwise (UNSUPPORTED_ALGORITHM). For AES-CBC, which authenticates nothing, every failure after the content key
    /// is recovered — padding, structure, signature, signer, header — is the same DECRYPTION_FAILED with the same
    /// message, so that the answers to altered ciphertexts tell the sender nothing about the plaintext (no padding
    /// oracle).
    /// </summary>
    /// <param name="deliveredBy">The peer id of the TLS client that delivered the envelope.</param>
    public OpenedEnvelope Open(byte[] envelope, string deliveredBy)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var decrypted = Decrypt(envelope, acceptCbc: peers.Find(deliveredBy)?.AcceptCbc == true);
        if (decrypted.Authenticated)
        {
            return Verify(decrypted.Content);
        }

        // Parsed and verified whatever the padding said, so a bad padding costs about what a bad signature does.
        OpenedEnvelope? opened = null;
        EnvelopeException? failure = null;
        try
        {
            opened = Verify(decrypted.Content);
        }
        catch (EnvelopeException exception)
        {
            failure = exception;
        }

        if (decrypted.PaddingValid && opened is not null)
        {
            return opened;
        }

        throw failure is null
            ? new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, EnvelopeDecryptor.CbcContentFailure)
            : new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, EnvelopeDecryptor.CbcContentFailure, failure);
    }

    private OpenedEnvelope Verify(byte[] inner)
    {
        var signed = SignedDataCodec.Verify(inner, _certificates);
        var (sender, warnings) = peers.Authenticate(signed.SignerCertificate, CertificateRole.Signing, validator, signed.IncludedCertificates);

        var payload = ParsePayload(signed.Content);
        if (!string.Equals(payload.Header.To, peers.Self.Id, StringComparison.Ordinal))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.NotForThisNode, $"message {payload.Header.MessageId} is addressed to {payload.Header.To}, this node is {peers.Self.Id}");
        }

        if (!string.Equals(payload.Header.From, sender.Id, StringComparison.Ordinal))
        {
            throw new EnvelopeException(EnvelopeErrorCodes.SignerMismatch, $"message {payload.Header.MessageId} claims to be from {payload.Header.From} but is signed by {sender.Id}");
        }

        return new OpenedEnvelope
        {
            Payload = payload,
            PayloadJson = signed.Content,
            Sender = sender,
            SignerCertificate = signed.SignerCertificate,
            SigningTime = signed.SigningTime,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Reads an envelope this node already accepted and stored: decrypts it and checks the signature still matches
    /// the content, without judging the signer's certificates again (they were judged on arrival and may have
    /// expired since; the stored receipt is the record of that judgement).
    /// </summary>
    public EnvelopePayload ReadStored(byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return ParsePayload(SignedDataCodec.Verify(DecryptNamingFailures(envelope), _certificates).Content);
    }

    /// <summary>Every content cipher accepted, a bad AES-CBC padding refused as such: for envelopes no network caller chose.</summary>
    private byte[] DecryptNamingFailures(byte[] envelope)
    {
        var decrypted = Decrypt(envelope, acceptCbc: true);
        return decrypted.PaddingValid
            ? decrypted.Content
            : throw new EnvelopeException(EnvelopeErrorCodes.DecryptionFailed, "the AES-CBC padding is not valid: another key, or altered content");
    }

    /// <summary>
    /// With each of the node's decryption keys in turn: during a rotation the node holds the new key and the old one,
    /// and a partner may still seal to either.
    /// </summary>
    private DecryptedContent Decrypt(byte[] envelope, bool acceptCbc)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return EnvelopeDecryptor.Decrypt(envelope, identities[i], acceptCbc);
            }
            catch (EnvelopeException exception) when (exception.Code == EnvelopeErrorCodes.NotForThisNode && i < identities.Count - 1)
            {
                // Sealed to another of this node's certificates: try the next key.
            }
        }
    }

    private static EnvelopePayload ParsePayload(byte[] json)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<EnvelopePayload>(json, GatewayJson.Options)
                ?? throw new EnvelopeException(EnvelopeErrorCodes.HeaderInvalid, "the signed payload is JSON null");
            if (payload.Body.ValueKind != JsonValueKind.Object)
            {
                throw new EnvelopeException(EnvelopeErrorCodes.HeaderInvalid, "the body must be a JSON object");
            }

            if (!SchemaVersions.IsSupported(payload.Header.SchemaVersion))
            {
                throw new EnvelopeException(EnvelopeErrorCodes.HeaderInvalid, $"schema version {payload.Header.SchemaVersion} is not supported; this node reads {SchemaVersions.Current}");
            }

            if (!MessageTypes.IsKnown(payload.Header.MessageType))
            {
                throw new EnvelopeException(EnvelopeErrorCodes.HeaderInvalid, $"unknown message type {payload.Header.MessageType}");
            }

            return payload;
        }
        catch (JsonException exception)
        {
            // JsonException.Path names the field; its message never quotes the offending value.
            throw new EnvelopeException(EnvelopeErrorCodes.HeaderInvalid, $"the signed payload is not a valid envelope document at {exception.Path ?? "$"}");
        }
    }
}
