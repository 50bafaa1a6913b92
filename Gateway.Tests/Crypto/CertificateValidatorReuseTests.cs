using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>The validator remembers built chains; a remembered chain must never outlive what made it valid.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class CertificateValidatorReuseTests(EcFederationFixture ec)
{
    [Fact]
    public void A_chain_remembered_while_its_CA_was_valid_is_not_reused_once_the_CA_has_expired()
    {
        using var authority = DevCertificateAuthority.Create("EE Short-lived CA", ec.Now, TimeSpan.FromDays(30));
        using var signer = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddDays(60), authority: authority);
        var caExpires = new DateTimeOffset(authority.Certificate.NotAfter.ToUniversalTime());
        var clock = new MovableTime(caExpires.AddMinutes(-5));
        var validator = new CertificateValidator(clock, CrlStore.Empty);

        Assert.True(validator.Validate(signer.Certificate, authority.Certificate, CertificateRole.Signing).IsValid);
        Assert.True(validator.Validate(signer.Certificate, authority.Certificate, CertificateRole.Signing).IsValid);

        // Six minutes on: inside the reuse period, the signer still valid, only its CA not.
        clock.Now = caExpires.AddMinutes(1);
        Assert.True(TimeSpan.FromMinutes(6) < CertificateValidator.ChainReuse);
        var result = validator.Validate(signer.Certificate, authority.Certificate, CertificateRole.Signing);

        Assert.False(result.IsValid);
        Assert.Equal(EnvelopeErrorCodes.CertificateExpired, result.FailureCode);
    }

    [Fact]
    public void A_remembered_chain_still_has_its_certificate_judged_on_every_call()
    {
        using var signer = ec.IssueSigningIdentity(Estonia, ec.Now.AddHours(-1), ec.Now.AddMinutes(5));
        var clock = new MovableTime(ec.Now);
        var validator = new CertificateValidator(clock, CrlStore.Empty);
        Assert.True(validator.Validate(signer.Certificate, ec.AuthorityOf(Estonia).Certificate, CertificateRole.Signing).IsValid);

        clock.Now = ec.Now.AddMinutes(6);
        var result = validator.Validate(signer.Certificate, ec.AuthorityOf(Estonia).Certificate, CertificateRole.Signing);

        Assert.Equal(EnvelopeErrorCodes.CertificateExpired, result.FailureCode);
    }
}
