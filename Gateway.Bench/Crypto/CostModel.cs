namespace Gateway.Bench.Crypto;

/// <summary>
/// What an operation would cost if it were made of nothing but <c>openssl speed</c>'s primitives, in microseconds.
/// Seal = 1 ECDH (RSA: 1 public op) + 1 ECDSA sign + AES-GCM over the payload; open = 1 ECDH (RSA: 1 private op)
/// + 1 ECDSA verify + AES-GCM. Receipts: 1 ECDSA sign or verify + SHA-256 of the envelope.
/// </summary>
internal static class CostModel
{
    public static (double Model, double Full) Microseconds(OpenSslResults openssl, string kind, string operation, int payloadBytes, int envelopeBytes)
    {
        var ec = kind == "Ec";
        var aes = Us(payloadBytes / Nearest(openssl.Aes256GcmBytesPerSecond, payloadBytes));
        var shaPayload = Us(payloadBytes / Nearest(openssl.Sha256BytesPerSecond, payloadBytes));
        var shaEnvelope = Us(envelopeBytes / Nearest(openssl.Sha256BytesPerSecond, payloadBytes));
        var sign = Us(1 / openssl.EcdsaP256SignPerSecond);
        var verify = Us(1 / openssl.EcdsaP256VerifyPerSecond);
        var ecdh = Us(1 / openssl.EcdhP256PerSecond);
        return operation switch
        {
            "seal" when ec => (ecdh + sign + aes, ecdh + sign + aes + shaPayload + sign),
            "seal" => (Us(1 / openssl.Rsa3072PublicPerSecond) + sign + aes, Us(1 / openssl.Rsa3072PublicPerSecond) + sign + aes + shaPayload),
            "open" when ec => (ecdh + verify + aes, ecdh + verify + aes + shaPayload),
            "open" => (Us(1 / openssl.Rsa3072PrivatePerSecond) + verify + aes, Us(1 / openssl.Rsa3072PrivatePerSecond) + verify + aes + shaPayload),
            "receipt-sign" => (sign, sign + shaEnvelope),
            "receipt-verify" => (verify, verify + shaEnvelope),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
        };
    }

    private static double Us(double seconds) => seconds * 1e6;

    private static double Nearest(IReadOnlyDictionary<int, double> bySize, int size) =>
        bySize.TryGetValue(size, out var exact) ? exact : bySize.MinBy(pair => Math.Abs(pair.Key - size)).Value;
}
