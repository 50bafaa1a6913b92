using System.Net;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Disclosure;
using Gateway.Service.Peering;

namespace Gateway.Tests.Federation;

/// <summary>
/// Minimisation enforced at the receiving end (DESIGN §7): FI-NRM, a contact point, holds EE-SKA to the profile they
/// agreed (contact-point for assistance) and refuses, storing nothing, an envelope that carries more — whatever the
/// sender's gateway did or did not do. Envelopes are sealed by hand with EE-SKA's real keys.
/// </summary>
[Trait("Category", "Peering")]
public sealed class InboundDisclosureTests(PeerEndpointFixture node) : IClassFixture<PeerEndpointFixture>
{
    [Fact]
    public async Task A_referral_within_the_agreed_profile_is_accepted()
    {
        var payload = Referral(new { prs_FirstName = "SYNTHETIC-Anna", prs_Birthdate = "1999-04-01", cas_OutgoingReferralDate = "2030-03-01" });

        using var response = await SendAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Clinical_detail_outside_the_contact_point_profile_is_refused_with_OVER_DISCLOSURE_and_nothing_is_stored()
    {
        var payload = Referral(new { prs_FirstName = "SYNTHETIC-Anna", health = new { clinicalNotes = "SYNTHETIC clinical note" }, cas_OutgoingReferralDate = "2030-03-01" });

        var problem = await AssertRefusedAsync(payload, DisclosureCodes.OverDisclosure);

        Assert.Contains("health.clinicalNotes", problem);
        Assert.DoesNotContain("SYNTHETIC clinical note", problem);
    }

    [Fact]
    public async Task Criminal_case_data_outside_the_contact_point_profile_is_refused_with_OVER_DISCLOSURE()
    {
        await AssertRefusedAsync(Referral(new { criminalCase = new { proceedingsInitiated = true }, cas_OutgoingReferralDate = "2030-03-01" }), DisclosureCodes.OverDisclosure);
    }

    [Fact]
    public async Task An_envelope_claiming_another_profile_than_the_one_agreed_is_refused_with_DISCLOSURE_PROFILE_MISMATCH()
    {
        var payload = Referral(new { prs_FirstName = "SYNTHETIC-Anna", cas_OutgoingReferralDate = "2030-03-01" });
        payload = payload with { Header = payload.Header with { DisclosureProfile = "law-enforcement" } };

        await AssertRefusedAsync(payload, DisclosureCodes.ProfileMismatch);
    }

    [Fact]
    public async Task Personal_data_without_a_legal_basis_is_refused_with_LEGAL_BASIS_MISSING()
    {
        var payload = Referral(new { prs_FirstName = "SYNTHETIC-Anna", cas_OutgoingReferralDate = "2030-03-01" });
        payload = payload with { Header = payload.Header with { LegalBasis = null } };

        await AssertRefusedAsync(payload, DisclosureCodes.LegalBasisMissing);
    }

    [Fact]
    public async Task A_body_outside_its_schema_is_refused_with_SCHEMA_INVALID()
    {
        await AssertRefusedAsync(Referral(new { prs_Gender = "SYNTHETIC-not-a-picklist-value", cas_OutgoingReferralDate = "2030-03-01" }), "SCHEMA_INVALID");
    }

    [Fact]
    public async Task An_anonymous_consultation_carrying_a_name_is_refused_with_NOT_ANONYMOUS()
    {
        var payload = PeerEndpointFixture.PayloadFrom(PeerEndpointFixture.Estonia);
        payload = payload with { Body = JsonSerializer.SerializeToElement(new { topic = "Admission", question = "SYNTHETIC question", prs_SecondName = "SYNTHETIC-Example" }) };

        await AssertRefusedAsync(payload, "NOT_ANONYMOUS");
    }

    [Fact]
    public async Task A_consultation_sent_for_a_purpose_its_type_does_not_have_is_refused_with_PURPOSE_NOT_ALLOWED()
    {
        var payload = PeerEndpointFixture.PayloadFrom(PeerEndpointFixture.Estonia);
        payload = payload with { Header = payload.Header with { Purpose = "Assistance" } };

        await AssertRefusedAsync(payload, "PURPOSE_NOT_ALLOWED");
    }

    private static EnvelopePayload Referral(object body)
    {
        var payload = PeerEndpointFixture.PayloadFrom(PeerEndpointFixture.Estonia);
        return payload with
        {
            Header = payload.Header with
            {
                MessageType = MessageTypes.ReferralRequest,
                Purpose = "Assistance",
                LegalBasis = "Consent",
                ConsentRef = Guid.NewGuid().ToString(),
                DisclosureProfile = "contact-point",
            },
            Body = JsonSerializer.SerializeToElement(body),
        };
    }

    private async Task<HttpResponseMessage> SendAsync(EnvelopePayload payload)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(PeerEndpointFixture.Estonia));
        return await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, PeerEndpointFixture.Estonia), payload.Header));
    }

    private async Task<string> AssertRefusedAsync(EnvelopePayload payload, string code)
    {
        using var response = await SendAsync(payload);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
        return text;
    }
}
