using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Identity;
using Gateway.Crypto.Peers;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// A valid signature is not enough: the signing certificate must be one the peer registry pins, chain to that peer's
/// trust anchor, be valid now, allow signing and not be revoked (DESIGN §2).
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class SignerTrustTests(EcFederationFixture ec)
{
    [Fact]
    public void Envelope_signed_under_a_CA_nobody_trusts_is_rejected_with_UNKNOWN_SIGNER()
    {
        // An impostor CA with the very name of Estonia's: only its key differs.
        using var impostorCa = DevCertificateAuthority.Create("EE Development CA", ec.Now, TimeSpan.FromDays(30));
        using var impostor = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddDays(30), authority: impostorCa);

        AssertRejected(EnvelopeErrorCodes.UnknownSigner, SealFromEstonia(impostor));
    }

    [Fact]
    public void Envelope_signed_with_a_certificate_from_the_senders_CA_that_is_not_pinned_is_rejected_with_SIGNER_NOT_PINNED()
    {
        using var unregistered = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddDays(30));

        AssertRejected(EnvelopeErrorCodes.SignerNotPinned, SealFromEstonia(unregistered));
    }

    [Fact]
    public void Envelope_signed_with_a_pinned_certificate_that_has_expired_is_rejected_with_CERTIFICATE_EXPIRED()
    {
        using var expired = ec.IssueSigningIdentity(Estonia, ec.Now.AddDays(-30), ec.Now.AddDays(-1));

        AssertRejected(EnvelopeErrorCodes.CertificateExpired, SealFromEstonia(expired), PinnedForEstonia(expired));
    }

    [Fact]
    public void Envelope_signed_with_a_pinned_certificate_not_yet_valid_is_rejected_with_CERTIFICATE_NOT_YET_VALID()
    {
        using var future = ec.IssueSigningIdentity(Estonia, ec.Now.AddDays(1), ec.Now.AddDays(30));

        AssertRejected(EnvelopeErrorCodes.CertificateNotYetValid, SealFromEstonia(future), PinnedForEstonia(future));
    }

    [Fact]
    public void Envelope_signed_with_a_pinned_certificate_from_another_states_CA_is_rejected_with_CHAIN_INVALID()
    {
        using var latvianIssued = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddDays(30), authority: ec.AuthorityOf(Shelter));

        AssertRejected(EnvelopeErrorCodes.ChainInvalid, SealFromEstonia(latvianIssued), PinnedForEstonia(latvianIssued));
    }

    [Fact]
    public void Envelope_signed_with_a_pinned_certificate_without_digitalSignature_usage_is_rejected_with_KEY_USAGE_INVALID()
    {
        using var agreementOnly = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddDays(30), X509KeyUsageFlags.KeyAgreement);

        AssertRejected(EnvelopeErrorCodes.KeyUsageInvalid, SealFromEstonia(agreementOnly), PinnedForEstonia(agreementOnly));
    }

    [Fact]
    public void Envelope_signed_with_a_certificate_listed_in_its_CAs_CRL_is_rejected_with_CERTIFICATE_REVOKED()
    {
        var crl = ec.AuthorityOf(Estonia).CreateCrl([ec.SignerOf(Estonia).Certificate], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));

        AssertRejected(EnvelopeErrorCodes.CertificateRevoked, SealFromEstonia(ec.SignerOf(Estonia)), crls: new CrlStore([crl]));
    }

    [Fact]
    public void Envelope_signed_with_a_certificate_its_CAs_CRL_does_not_list_opens()
    {
        var crl = ec.AuthorityOf(Estonia).CreateCrl([], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));

        var opened = ec.OpenerOf(Finland, crls: new CrlStore([crl])).Open(SealFromEstonia(ec.SignerOf(Estonia)));

        Assert.Equal(Estonia, opened.Sender.Id);
    }

    private byte[] SealFromEstonia(SigningIdentity signer) =>
        ec.Sealer.Seal(SyntheticPayloads.Consultation(Estonia, Finland), signer, ec.EncryptionCertificateOf(Finland));

    /// <summary>Finland's registry with the certificate added as Estonia's second signing certificate (as during a rotation).</summary>
    private PeerDirectory PinnedForEstonia(SigningIdentity signer) =>
        ec.PeersWithExtraSigningCertificate(Finland, Estonia, signer.Certificate);

    private void AssertRejected(string expectedCode, byte[] envelope, PeerDirectory? peers = null, CrlStore? crls = null)
    {
        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland, peers, crls).Open(envelope));
        Assert.Equal(expectedCode, exception.Code);
    }
}
