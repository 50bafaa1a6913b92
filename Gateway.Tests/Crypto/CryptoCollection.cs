namespace Gateway.Tests.Crypto;

/// <summary>Every crypto test class shares the two federations; making RSA-3072 keys is what costs.</summary>
[CollectionDefinition(Name)]
public sealed class CryptoCollection : ICollectionFixture<EcFederationFixture>, ICollectionFixture<RsaFederationFixture>
{
    public const string Name = "Crypto";
}
