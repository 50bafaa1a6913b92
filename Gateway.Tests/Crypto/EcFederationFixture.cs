using Gateway.Crypto.DevPki;

namespace Gateway.Tests.Crypto;

/// <summary>The federation with P-256 encryption keys: ECDH key agreement (RFC 5753), the default.</summary>
public sealed class EcFederationFixture() : DevFederationFixture(EncryptionKeyKind.Ec);
