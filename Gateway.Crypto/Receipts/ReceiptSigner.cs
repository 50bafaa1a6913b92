using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Receipts;
using Gateway.Crypto.Cms;
using Gateway.Crypto.Identity;

namespace Gateway.Crypto.Receipts;

/// <summary>Signs receipts: CMS SignedData over the receipt JSON, the receiver's proof that it holds the envelope.</summary>
public sealed class ReceiptSigner(TimeProvider time)
{
    public byte[] Sign(Receipt receipt, SigningIdentity signer) =>
        SignedDataCodec.Sign(JsonSerializer.SerializeToUtf8Bytes(receipt, GatewayJson.Options), signer, time.GetUtcNow());

    /// <summary>Lower-case hex SHA-256 of the envelope bytes, as <see cref="Receipt.EnvelopeSha256"/> carries it.</summary>
    public static string EnvelopeDigest(ReadOnlySpan<byte> envelope) => Convert.ToHexStringLower(SHA256.HashData(envelope));
}
