using Gateway.Crypto;
using Gateway.Crypto.DevPki;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>An envelope opens only at the node its signed header names, and only from the peer that signed it.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class EnvelopeAddressingTests(EcFederationFixture ec, RsaFederationFixture rsa)
{
    [Theory]
    [InlineData(EncryptionKeyKind.Ec)]
    [InlineData(EncryptionKeyKind.Rsa)]
    public void Envelope_encrypted_to_another_nodes_certificate_is_rejected_with_NOT_FOR_THIS_NODE(EncryptionKeyKind encryptionKey)
    {
        var federation = encryptionKey == EncryptionKeyKind.Rsa ? (DevFederationFixture)rsa : ec;
        var envelope = federation.Seal(SyntheticPayloads.Consultation(Estonia, Shelter));

        var exception = Assert.Throws<EnvelopeException>(() => federation.OpenerOf(Finland).Open(envelope));

        Assert.Equal(EnvelopeErrorCodes.NotForThisNode, exception.Code);
    }

    [Fact]
    public void Envelope_encrypted_to_this_node_but_addressed_to_another_in_its_signed_header_is_rejected_with_NOT_FOR_THIS_NODE()
    {
        var toShelter = SyntheticPayloads.Consultation(Estonia, Shelter);
        var envelope = ec.Sealer.Seal(toShelter, ec.SignerOf(Estonia), ec.EncryptionCertificateOf(Finland));

        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));

        Assert.Equal(EnvelopeErrorCodes.NotForThisNode, exception.Code);
    }

    [Fact]
    public void Envelope_whose_header_names_a_sender_other_than_its_signer_is_rejected_with_SIGNER_MISMATCH()
    {
        var claimsShelter = SyntheticPayloads.Consultation(Shelter, Finland);
        var envelope = ec.Sealer.Seal(claimsShelter, ec.SignerOf(Estonia), ec.EncryptionCertificateOf(Finland));

        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));

        Assert.Equal(EnvelopeErrorCodes.SignerMismatch, exception.Code);
    }
}
