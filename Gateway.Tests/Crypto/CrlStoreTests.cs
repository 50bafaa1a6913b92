using System.Numerics;
using System.Text;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>
/// Revocation that cannot be sidestepped (issue #18, DESIGN §17): for each issuer the newest CRL applies, whatever the
/// order it was configured in and whatever else carries the issuer's name; a CRL past its nextUpdate warns, and past
/// the grace period too refuses its issuer's certificates; CRLs a node cannot apply whole are refused when read.
/// </summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class CrlStoreTests(EcFederationFixture ec)
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(6);

    private DevCertificateAuthority Authority => ec.AuthorityOf(Estonia);

    [Theory]
    [InlineData("older first")]
    [InlineData("newer first")]
    public void Of_two_CRLs_of_one_issuer_the_newer_applies_whichever_is_listed_first_so_the_revocation_it_adds_refuses(string order)
    {
        var older = Authority.CreateCrl([], ec.Now.AddDays(-2), ec.Now.AddDays(5));
        var newer = Authority.CreateCrl([ec.SignerOf(Estonia).Certificate], ec.Now.AddDays(-1), ec.Now.AddDays(6));

        var result = Validate(new CrlStore(order == "older first" ? [older, newer] : [newer, older]));

        Assert.Equal(EnvelopeErrorCodes.CertificateRevoked, result.FailureCode);
    }

    [Fact]
    public void Of_two_CRLs_of_one_issuer_the_higher_CRLNumber_applies_even_with_the_earlier_thisUpdate()
    {
        var higher = Authority.CreateCrl([ec.SignerOf(Estonia).Certificate], ec.Now.AddDays(-2), ec.Now.AddDays(5), crlNumber: 2_000_001);
        var lower = Authority.CreateCrl([], ec.Now.AddHours(-1), ec.Now.AddDays(6), crlNumber: 2_000_000);

        var result = Validate(new CrlStore([lower, higher]));

        Assert.Equal(EnvelopeErrorCodes.CertificateRevoked, result.FailureCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Of_two_CRLs_with_the_same_CRLNumber_the_one_with_the_later_thisUpdate_applies(bool laterListsTheCertificate)
    {
        var signer = ec.SignerOf(Estonia).Certificate;
        var earlier = Authority.CreateCrl(laterListsTheCertificate ? [] : [signer], ec.Now.AddDays(-2), ec.Now.AddDays(5), crlNumber: 3_000_000);
        var later = Authority.CreateCrl(laterListsTheCertificate ? [signer] : [], ec.Now.AddDays(-1), ec.Now.AddDays(5), crlNumber: 3_000_000);

        var result = Validate(new CrlStore([later, earlier]));

        Assert.Equal(laterListsTheCertificate ? EnvelopeErrorCodes.CertificateRevoked : null, result.FailureCode);
    }

    [Fact]
    public void A_CRL_under_the_issuers_name_that_its_key_did_not_sign_is_ignored_however_high_its_number()
    {
        // An impostor CA with the very name of Estonia's: only its key differs.
        using var impostor = DevCertificateAuthority.Create("EE Development CA", ec.Now, TimeSpan.FromDays(30));
        var forged = impostor.CreateCrl([], ec.Now.AddHours(-1), ec.Now.AddDays(7), crlNumber: BigInteger.Pow(10, 30));
        var genuine = Authority.CreateCrl([ec.SignerOf(Estonia).Certificate], ec.Now.AddDays(-1), ec.Now.AddDays(6));

        var result = Validate(new CrlStore([forged, genuine]));

        Assert.Equal(EnvelopeErrorCodes.CertificateRevoked, result.FailureCode);
    }

    [Fact]
    public void A_CRL_past_its_nextUpdate_within_the_grace_period_passes_with_a_CRL_STALE_warning_that_says_when_refusal_starts()
    {
        var crl = Authority.CreateCrl([], ec.Now.AddDays(-7), ec.Now.AddHours(-1));
        var nextUpdate = RevocationList.Read(crl, "ee.crl")[0].NextUpdate;

        var result = Validate(Store(Grace, crl));

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("CRL_STALE: ", warning);
        Assert.Contains($"refused from {nextUpdate + Grace:O}", warning);
    }

    [Fact]
    public void A_CRL_past_its_nextUpdate_and_the_grace_period_refuses_its_issuers_certificates_with_REVOCATION_UNKNOWN()
    {
        var crl = Authority.CreateCrl([], ec.Now.AddDays(-7), ec.Now.AddHours(-1));
        var nextUpdate = RevocationList.Read(crl, "ee.crl")[0].NextUpdate;
        var clock = new MovableTime(nextUpdate + Grace - TimeSpan.FromSeconds(1));
        var validator = new CertificateValidator(clock, Store(Grace, crl));
        Assert.True(Validate(validator).IsValid);

        clock.Now = nextUpdate + Grace + TimeSpan.FromSeconds(1);
        var result = Validate(validator);

        Assert.Equal(EnvelopeErrorCodes.RevocationUnknown, result.FailureCode);
        Assert.Contains("grace period", result.FailureReason);
    }

    [Fact]
    public void A_stale_CRL_that_lists_the_certificate_still_refuses_it_as_CERTIFICATE_REVOKED()
    {
        var crl = Authority.CreateCrl([ec.SignerOf(Estonia).Certificate], ec.Now.AddDays(-30), ec.Now.AddDays(-20));

        var result = Validate(Store(Grace, crl));

        Assert.Equal(EnvelopeErrorCodes.CertificateRevoked, result.FailureCode);
    }

    [Fact]
    public void CRLs_replaced_in_the_store_apply_from_the_next_check_of_the_same_validator()
    {
        var store = Store(Grace, Authority.CreateCrl([], ec.Now.AddHours(-1), ec.Now.AddDays(7)));
        var validator = new CertificateValidator(TimeProvider.System, store);
        Assert.True(Validate(validator).IsValid);

        store.Replace(RevocationList.Read(Authority.CreateCrl([ec.SignerOf(Estonia).Certificate], ec.Now.AddMinutes(-1), ec.Now.AddDays(7)), "ee.crl"));

        Assert.Equal(EnvelopeErrorCodes.CertificateRevoked, Validate(validator).FailureCode);
    }

    [Fact]
    public void A_PEM_file_with_several_CRLs_yields_each_of_them_with_its_number_and_dates()
    {
        var first = Authority.CreateCrl([], ec.Now.AddDays(-1), ec.Now.AddDays(6), crlNumber: 4_000_000);
        var second = Authority.CreateCrl([], ec.Now.AddHours(-1), ec.Now.AddDays(7), crlNumber: 4_000_001);
        var pem = Encoding.ASCII.GetBytes(new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", first)) + "\n"
            + new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", second)) + "\n");

        var lists = RevocationList.Read(pem, "ee.pem");

        Assert.Equal([new BigInteger(4_000_000), new BigInteger(4_000_001)], lists.Select(list => list.Number!.Value));
        Assert.Equal(ec.Now.AddDays(7).ToUnixTimeSeconds(), lists[1].NextUpdate.ToUnixTimeSeconds());
        Assert.All(lists, list => Assert.Equal("ee.pem", list.Source));
    }

    [Fact]
    public void A_delta_CRL_is_refused_when_read_because_applied_as_a_full_CRL_it_would_hide_revocations()
    {
        var delta = BouncyCrl(generator =>
        {
            generator.SetNextUpdate(DateTime.UtcNow.AddDays(1));
            generator.AddExtension(X509Extensions.DeltaCrlIndicator, critical: true, new CrlNumber(Org.BouncyCastle.Math.BigInteger.One));
        });

        var exception = Assert.Throws<RevocationListException>(() => RevocationList.Read(delta, "delta.crl"));

        Assert.Contains("delta.crl", exception.Message);
        Assert.Contains("critical extensions", exception.Message);
    }

    [Fact]
    public void A_CRL_without_nextUpdate_is_refused_when_read_because_it_could_never_be_judged_stale()
    {
        var timeless = BouncyCrl(_ => { });

        var exception = Assert.Throws<RevocationListException>(() => RevocationList.Read(timeless, "timeless.crl"));

        Assert.Contains("no nextUpdate", exception.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_CRL_is_refused_when_read_naming_the_file()
    {
        var exception = Assert.Throws<RevocationListException>(() => RevocationList.Read(Encoding.ASCII.GetBytes("not a CRL"), "/etc/referral-gateway/crl/ee.crl"));

        Assert.StartsWith("/etc/referral-gateway/crl/ee.crl is not a DER or PEM certificate revocation list", exception.Message);
    }

    private static CrlStore Store(TimeSpan grace, params byte[][] crls) =>
        new(crls.SelectMany(crl => RevocationList.Read(crl, "test.crl")), grace);

    private CertificateValidationResult Validate(CrlStore store) => Validate(new CertificateValidator(TimeProvider.System, store));

    private CertificateValidationResult Validate(CertificateValidator validator) =>
        validator.Validate(ec.SignerOf(Estonia).Certificate, Authority.Certificate, CertificateRole.Signing);

    /// <summary>A CRL made with BouncyCastle's generator, which (unlike .NET's builder) writes any extension, or no nextUpdate.</summary>
    private static byte[] BouncyCrl(Action<X509V2CrlGenerator> shape)
    {
        var keys = new ECKeyPairGenerator();
        keys.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        var pair = keys.GenerateKeyPair();
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(new X509Name("CN=EE Development CA, O=Referral Gateway development"));
        generator.SetThisUpdate(DateTime.UtcNow.AddHours(-1));
        generator.AddExtension(X509Extensions.CrlNumber, critical: false, new CrlNumber(Org.BouncyCastle.Math.BigInteger.Two));
        shape(generator);
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pair.Private)).GetEncoded();
    }
}
