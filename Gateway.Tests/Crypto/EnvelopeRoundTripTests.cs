using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>What one gateway seals, another opens: the payload exactly as signed, and who signed it.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class EnvelopeRoundTripTests(EcFederationFixture ec, RsaFederationFixture rsa)
{
    [Fact]
    public void Envelope_sealed_to_an_EC_recipient_opens_with_the_exact_payload_and_its_sender() => AssertRoundTrip(ec);

    [Fact]
    public void Envelope_sealed_to_an_RSA_recipient_opens_with_the_exact_payload_and_its_sender() => AssertRoundTrip(rsa);

    [Fact]
    public void Opened_envelope_carries_the_signing_certificate_and_signing_time_of_the_sender()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland));

        var opened = ec.OpenerOf(Finland).Open(envelope);

        Assert.Equal(ec.SignerOf(Estonia).Certificate.RawData, opened.SignerCertificate.RawData);
        Assert.NotNull(opened.SigningTime);
        Assert.InRange(opened.SigningTime.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    private static void AssertRoundTrip(DevFederationFixture federation)
    {
        var payload = SyntheticPayloads.Consultation(Estonia, Finland);
        var envelope = federation.Seal(payload);

        var opened = federation.OpenerOf(Finland).Open(envelope);

        Assert.Equal(SyntheticPayloads.Json(payload), opened.PayloadJson);
        Assert.Equal(payload.Header, opened.Payload.Header);
        Assert.Equal(Estonia, opened.Sender.Id);
    }
}
