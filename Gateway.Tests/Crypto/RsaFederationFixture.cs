using Gateway.Crypto.DevPki;

namespace Gateway.Tests.Crypto;

/// <summary>The federation with RSA-3072 encryption keys: RSA-OAEP key transport.</summary>
public sealed class RsaFederationFixture() : DevFederationFixture(EncryptionKeyKind.Rsa);
