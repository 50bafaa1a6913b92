using System.Net;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Identity;
using Gateway.Service.Disclosure;
using Gateway.Service.Peering;
using Gateway.Tests.Crypto;

namespace Gateway.Tests.Federation;

/// <summary>
/// Minimisation enforced at the receiving end (DESIGN §7): FI-NRM, a contact point, holds EE-SKA to the profile they
/// agreed (contact-point for assistance) and refuses, storing nothing, an envelope that carries more — whatever the
/// sender's gateway did or did not do. A shelter and a police node do the same for the Residence category, of which
/// they agreed to receive little or nothing. Envelopes are sealed by hand with EE-SKA's real keys.
/// </summary>
[Trait("Category", "Peering")]
public sealed class InboundDisclosureTests(PeerEndpointFixture node, InboundDisclosureTests.ResidenceReceivers residence)
    : IClassFixture<PeerEndpointFixture>, IClassFixture<InboundDisclosureTests.ResidenceReceivers>
{
    [Fact]
    public async Task A_referral_within_the_agreed_profile_is_accepted()
    {
        var payload = Referral(new { prs_FirstName = "SYNTHETIC-Anna", prs_Birthdate = "1999-04-01", cas_OutgoingReferralDate = "2030-03-01" });

        using var response = await SendAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_referral_carrying_the_whole_residence_block_is_within_the_contact_point_profile()
    {
        var payload = Referral(new
        {
            residence = new { internationalProtection = "Applied", internationalProtectionState = "EE", status = "VictimPermitApplied", reflectionPeriodEnd = "2030-04-30", legalCounsellingNeeded = true },
            cas_OutgoingReferralDate = "2030-03-01",
        });

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

    [Fact]
    public async Task A_shelter_accepts_a_referral_with_the_counselling_flag_and_the_reflection_period_end()
    {
        var payload = ShelterReferral(new { residence = new { legalCounsellingNeeded = true, reflectionPeriodEnd = "2030-04-30" }, cas_OutgoingReferralDate = "2030-03-01" });

        var (status, text) = await residence.SendAsync(payload);

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        Assert.NotNull(await residence.ShelterNode.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
    }

    [Fact]
    public async Task A_shelter_refuses_a_referral_carrying_the_residence_status_with_OVER_DISCLOSURE_naming_the_field_not_its_value()
    {
        var payload = ShelterReferral(new { residence = new { status = "VictimPermitGranted", reflectionPeriodEnd = "2030-04-30" }, cas_OutgoingReferralDate = "2030-03-01" });

        var problem = await AssertRefusedByAsync(residence.ShelterNode, payload, DisclosureCodes.OverDisclosure);

        Assert.Contains("residence.status", problem);
        Assert.DoesNotContain("residence.reflectionPeriodEnd", problem);
        Assert.DoesNotContain("VictimPermitGranted", problem);
    }

    [Fact]
    public async Task A_shelter_refuses_a_status_update_carrying_international_protection_with_OVER_DISCLOSURE()
    {
        var payload = ResidencePayload(ResidenceReceivers.Shelter, MessageTypes.StatusUpdate, "CaseCoordination", "ngo-case-coordination", new
        {
            cas_Status = "Active",
            residence = new { internationalProtection = "Applied", internationalProtectionState = "LV", reflectionPeriodEnd = "2030-06-14" },
        });

        var problem = await AssertRefusedByAsync(residence.ShelterNode, payload, DisclosureCodes.OverDisclosure);

        Assert.Contains("residence.internationalProtection", problem);
        Assert.Contains("residence.internationalProtectionState", problem);
    }

    [Fact]
    public async Task A_police_node_refuses_a_referral_carrying_even_the_counselling_flag_with_OVER_DISCLOSURE()
    {
        var payload = ResidencePayload(ResidenceReceivers.Police, MessageTypes.ReferralRequest, "CriminalProceedings", "law-enforcement", new
        {
            prs_FirstName = "SYNTHETIC-Anna",
            residence = new { legalCounsellingNeeded = true },
            cas_OutgoingReferralDate = "2030-03-01",
        });

        var problem = await AssertRefusedByAsync(residence.PoliceNode, payload, DisclosureCodes.OverDisclosure);

        Assert.Contains("residence.legalCounsellingNeeded", problem);
    }

    [Fact]
    public async Task A_police_node_refuses_a_status_update_reporting_a_change_of_residence_with_OVER_DISCLOSURE()
    {
        var payload = ResidencePayload(ResidenceReceivers.Police, MessageTypes.StatusUpdate, "CaseCoordination", "law-enforcement-case-coordination", new
        {
            cas_Status = "Active",
            residence = new { status = "VictimPermitGranted" },
        });

        await AssertRefusedByAsync(residence.PoliceNode, payload, DisclosureCodes.OverDisclosure);
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

    private static EnvelopePayload ShelterReferral(object body) => ResidencePayload(ResidenceReceivers.Shelter, MessageTypes.ReferralRequest, "Assistance", "ngo-shelter", body);

    private static EnvelopePayload ResidencePayload(string to, string messageType, string purpose, string profile, object body)
    {
        var payload = SyntheticPayloads.Consultation(PeerEndpointFixture.Estonia, to);
        return payload with
        {
            Header = payload.Header with
            {
                MessageType = messageType,
                CreatedAt = DateTimeOffset.UtcNow,
                Purpose = purpose,
                LegalBasis = "Consent",
                ConsentRef = Guid.NewGuid().ToString(),
                DisclosureProfile = profile,
            },
            Body = JsonSerializer.SerializeToElement(body),
        };
    }

    private async Task<string> AssertRefusedByAsync(GatewayNode receiver, EnvelopePayload payload, string code)
    {
        var (status, text) = await residence.SendAsync(payload);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.Null(await receiver.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
        return text;
    }

    /// <summary>
    /// LV-NGO-SAFEHOUSE (a shelter) and EE-POL (law enforcement) as real hosts on the built-in configuration, and
    /// EE-SKA's keys to reach them: the receivers whose agreed profiles hold back Residence.
    /// </summary>
    public sealed class ResidenceReceivers : IAsyncLifetime
    {
        public const string Shelter = PeerEndpointFixture.Shelter;
        public const string Police = "EE-POL";

        private TestFederation? _federation;
        private SigningIdentity? _estonia;

        internal GatewayNode ShelterNode { get; private set; } = null!;

        internal GatewayNode PoliceNode { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _federation = TestFederation.Create(PeerEndpointFixture.Estonia, Shelter, Police);
            ShelterNode = await _federation.StartAsync(_federation.OptionsFor(Shelter));
            PoliceNode = await _federation.StartAsync(_federation.OptionsFor(Police));
            _estonia = DevPkiLayout.LoadSigning(_federation.Pki, PeerEndpointFixture.Estonia);
        }

        public async Task DisposeAsync()
        {
            _estonia?.Dispose();
            if (_federation is not null)
            {
                await _federation.DisposeAsync();
            }
        }

        /// <summary>Signed by EE-SKA, encrypted to the header's recipient, posted over mutual TLS with EE-SKA's certificate.</summary>
        internal async Task<(HttpStatusCode Status, string Text)> SendAsync(EnvelopePayload payload)
        {
            var receiver = payload.Header.To == Shelter ? ShelterNode : PoliceNode;
            var envelope = new EnvelopeSealer(TimeProvider.System).Seal(payload, _estonia!, _federation!.Dev.Node(payload.Header.To).Encryption);
            using var partner = new PeerTlsClient(_federation.Dev.Node(PeerEndpointFixture.Estonia).Tls);
            using var response = await partner.PostAsync(receiver.PeerEndpoint, envelope, payload.Header.MessageId, PeerEndpointFixture.Estonia, payload.Header.To, payload.Header.MessageType);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
