using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;

namespace Gateway.Crypto.Envelopes;

/// <summary>Sign-then-encrypt (DESIGN §3): SignedData over the payload JSON, inside AuthEnvelopedData to the recipient.</summary>
public sealed class EnvelopeSealer(TimeProvider time)
{
    public byte[] Seal(EnvelopePayload payload, SigningIdentity signer, X509Certificate2 recipientEncryptionCertificate) =>
        Seal(JsonSerializer.SerializeToUtf8Bytes(payload, GatewayJson.Options), signer, recipientEncryptionCertificate);

    public byte[] Seal(byte[] payloadJson, SigningIdentity signer, X509Certificate2 recipientEncryptionCertificate)
    {
        var signed = SignedDataCodec.Sign(payloadJson, signer, time.GetUtcNow());
        return AuthEnvelopedDataWriter.Encrypt(signed, recipientEncryptionCertificate);
    }
}
