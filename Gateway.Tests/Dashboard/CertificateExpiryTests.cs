using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Operations.Dashboard;

namespace Gateway.Tests.Dashboard;

/// <summary>The dashboard's certificate warning levels: 60, 30 and 7 days before expiry, then expired.</summary>
[Trait("Category", "Operations")]
public sealed class CertificateExpiryTests
{
    private static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(365, "ok", 365)]
    [InlineData(61, "ok", 61)]
    [InlineData(60, "warn60", 60)]
    [InlineData(31, "warn60", 31)]
    [InlineData(30, "warn30", 30)]
    [InlineData(8, "warn30", 8)]
    [InlineData(7, "warn7", 7)]
    [InlineData(1, "warn7", 1)]
    [InlineData(0, "expired", 0)]
    [InlineData(-3, "expired", -3)]
    public void A_certificate_is_warned_about_at_60_30_and_7_days_and_then_shown_expired(int daysLeft, string level, int shownDays)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SYNTHETIC peer signing", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-400), Now.AddDays(daysLeft));

        var expiry = CertificateExpiry.Of("FI-NRM", self: false, "signing", certificate, Now);

        Assert.Equal((level, shownDays, "SYNTHETIC peer signing"), (expiry.Level, expiry.DaysLeft, expiry.Subject));
    }
}
