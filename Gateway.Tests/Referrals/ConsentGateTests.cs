using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Referrals;

/// <summary>
/// The consent gate with real hosts (DESIGN §6): at submit, a message without a legal basis that covers recipient,
/// purpose and person is refused with its own code and nothing leaves; before every attempt, a consent withdrawn or
/// expired since submit cancels the message and the second host receives nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConsentGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly object AdultReferral = new
    {
        prs_FirstName = "SYNTHETIC-Anna",
        prs_Birthdate = "1999-04-01",
        spl_Type = new[] { "SocialCare" },
        cas_OutgoingReferralDate = "2030-03-01",
    };

    [Fact]
    public async Task Consent_withdrawn_between_submit_and_delivery_ends_Cancelled_and_the_peer_receives_nothing()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);

        // FI-NRM is not running yet: the referral waits for a retry.
        var accepted = await sender.ReferAsync("FI-NRM", consent, AdultReferral);
        await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.RetryWaiting, Deadline);
        using (var withdraw = await sender.Api.PostAsJsonAsync($"/api/v1/consents/{consent}/withdraw", new { withdrawnBy = "Subject", reason = "WithdrawnByPerson" }))
        {
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }

        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Cancelled, Deadline);
        var marker = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(marker.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Cancelled, status.State);
        Assert.Equal("CONSENT_WITHDRAWN", status.LastError);
        Assert.Null(await receiver.Stores.Inbox.GetAsync(accepted.MessageId, CancellationToken.None));
        Assert.Equal(1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None)); // only the consultation sent after it
        Assert.Null(status.Content); // the sender's own copy is erased with the withdrawal
    }

    [Fact]
    public async Task Consent_expiring_before_the_next_attempt_cancels_the_message_at_that_attempt()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await RecordAsync(sender, new
        {
            subjectRef = "SYNTHETIC-SUBJECT-EXP",
            givenBy = "Subject",
            scope = new { recipients = new[] { "FI-NRM" }, purposes = new[] { "Assistance" }, categories = new[] { "Identity", "Needs" } },
            validUntil = DateTimeOffset.UtcNow.AddSeconds(2),
            evidenceRef = "SYNTHETIC-FORM-EXP",
        });

        var accepted = await sender.ReferAsync("FI-NRM", consent, AdultReferral);
        await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.RetryWaiting, Deadline);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the consent is now past its validUntil; the message is still waiting
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Cancelled, Deadline);

        Assert.Equal(DeliveryState.Cancelled, status.State);
        Assert.Equal("CONSENT_EXPIRED", status.LastError);
        Assert.Equal(0, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_minor_without_guardian_consent_is_refused_with_MINOR_WITHOUT_GUARDIAN_CONSENT()
    {
        await AssertRefusedAsync(async sender =>
        {
            var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Child", "Needs"], givenBy: "Subject");
            return Referral(consent, new
            {
                prs_FirstName = "SYNTHETIC-Mia",
                child = new { minor = true, childHeard = true },
                cas_OutgoingReferralDate = "2030-03-01",
            });
        }, "MINOR_WITHOUT_GUARDIAN_CONSENT");
    }

    [Fact]
    public async Task A_birth_date_under_18_makes_the_person_a_minor_even_without_the_child_block()
    {
        await AssertRefusedAsync(async sender =>
        {
            var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"], givenBy: "Subject");
            return Referral(consent, new { prs_Birthdate = DateTime.UtcNow.AddYears(-15).ToString("yyyy-MM-dd"), cas_OutgoingReferralDate = "2030-03-01" });
        }, "MINOR_WITHOUT_GUARDIAN_CONSENT");
    }

    [Fact]
    public async Task A_guardians_consent_that_does_not_record_the_child_was_heard_is_refused_at_recording()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));

        using var response = await sender.Api.PostAsJsonAsync("/api/v1/consents", new
        {
            subjectRef = "SYNTHETIC-CHILD",
            givenBy = "Guardian",
            subjectIsMinor = true,
            childHeard = false,
            scope = new { recipients = new[] { "FI-NRM" }, purposes = new[] { "Assistance" }, categories = new[] { "Identity" } },
            validUntil = DateTimeOffset.UtcNow.AddDays(1),
            evidenceRef = "SYNTHETIC-FORM",
        });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "CHILD_NOT_HEARD");
    }

    [Fact]
    public async Task An_expired_consent_is_refused_with_CONSENT_EXPIRED()
    {
        await AssertRefusedAsync(async sender =>
        {
            var consent = await RecordAsync(sender, new
            {
                subjectRef = "SYNTHETIC-SUBJECT-OLD",
                givenBy = "Subject",
                scope = new { recipients = new[] { "FI-NRM" }, purposes = new[] { "Assistance" }, categories = new[] { "Identity", "Needs" } },
                validFrom = DateTimeOffset.UtcNow.AddDays(-30),
                validUntil = DateTimeOffset.UtcNow.AddDays(-1),
                evidenceRef = "SYNTHETIC-FORM-OLD",
            });
            return Referral(consent, AdultReferral);
        }, "CONSENT_EXPIRED");
    }

    [Fact]
    public async Task A_consent_for_another_recipient_is_refused_with_CONSENT_RECIPIENT_NOT_COVERED()
    {
        await AssertRefusedAsync(async sender => Referral(await sender.RecordConsentAsync(["LV-NGO-SAFEHOUSE"], ["Identity", "Needs"]), AdultReferral), "CONSENT_RECIPIENT_NOT_COVERED");
    }

    [Fact]
    public async Task A_consent_for_another_purpose_is_refused_with_CONSENT_PURPOSE_NOT_COVERED()
    {
        await AssertRefusedAsync(
            async sender => Referral(await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"], purposes: ["CriminalProceedings"]), AdultReferral),
            "CONSENT_PURPOSE_NOT_COVERED");
    }

    [Fact]
    public async Task A_withdrawn_consent_is_refused_at_submit_with_CONSENT_WITHDRAWN()
    {
        await AssertRefusedAsync(async sender =>
        {
            var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);
            (await sender.Api.PostAsJsonAsync($"/api/v1/consents/{consent}/withdraw", new { withdrawnBy = "Subject", reason = "WithdrawnByPerson" })).Dispose();
            return Referral(consent, AdultReferral);
        }, "CONSENT_WITHDRAWN");
    }

    [Fact]
    public async Task A_referral_without_a_legal_basis_is_refused_with_LEGAL_BASIS_REQUIRED()
    {
        await AssertRefusedAsync(_ => Task.FromResult(new SendMessageRequest
        {
            Recipient = "FI-NRM",
            MessageType = MessageTypes.ReferralRequest,
            Body = JsonSerializer.SerializeToElement(AdultReferral),
        }), "LEGAL_BASIS_REQUIRED");
    }

    [Fact]
    public async Task VitalInterests_without_a_written_justification_is_refused_with_VITAL_INTERESTS_JUSTIFICATION_REQUIRED()
    {
        await AssertRefusedAsync(_ => Task.FromResult(new SendMessageRequest
        {
            Recipient = "FI-NRM",
            MessageType = MessageTypes.ReferralRequest,
            Body = JsonSerializer.SerializeToElement(AdultReferral),
            LegalBasis = "VitalInterests",
            Justification = "urgent",
        }), "VITAL_INTERESTS_JUSTIFICATION_REQUIRED");
    }

    [Fact]
    public async Task An_AnonymousConsultation_that_smuggles_in_a_name_is_refused_with_NOT_ANONYMOUS()
    {
        await AssertRefusedAsync(_ => Task.FromResult(Consultation(new { topic = "Admission", question = "SYNTHETIC: may we refer her?", prs_FirstName = "SYNTHETIC-Anna" })), "NOT_ANONYMOUS");
    }

    [Fact]
    public async Task An_AnonymousConsultation_whose_question_holds_a_phone_number_is_refused_with_NOT_ANONYMOUS()
    {
        await AssertRefusedAsync(_ => Task.FromResult(Consultation(new { topic = "Admission", question = "SYNTHETIC: call her on +372 5555 0000 about it" })), "NOT_ANONYMOUS");
    }

    [Fact]
    public async Task A_body_with_a_field_the_catalogue_does_not_know_is_refused_with_SCHEMA_INVALID_naming_neither_the_field_nor_its_value()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);

        using var response = await sender.Api.PostAsJsonAsync("/api/v1/referrals", Referral(consent, new { prs_FirstName = "SYNTHETIC-Anna", favouriteColour = "SYNTHETIC-teal", cas_OutgoingReferralDate = "2030-03-01" }), GatewayNode.ApiJson);

        // An unknown property's name is the caller's text and may itself be personal data: the problem names its parent.
        var text = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "SCHEMA_INVALID");
        Assert.Contains("has a property that is not a field", text);
        Assert.DoesNotContain("favouriteColour", text);
        Assert.DoesNotContain("SYNTHETIC-teal", text);
        Assert.DoesNotContain("SYNTHETIC-Anna", text);
    }

    [Fact]
    public async Task LegalObligation_configured_for_law_enforcement_lets_criminal_case_fields_reach_the_police_node_and_nothing_else()
    {
        await using var federation = TestFederation.Create("EE-SKA", "EE-POL");
        var options = federation.OptionsFor("EE-SKA");
        options.Disclosure.LegalObligations.Add(new Gateway.Service.Disclosure.LegalObligationRule
        {
            RecipientKind = Gateway.Contracts.Peering.PeerKind.LawEnforcement,
            Purposes = ["CriminalProceedings"],
            Categories = [Gateway.Contracts.Messages.DataCategory.Identity, Gateway.Contracts.Messages.DataCategory.CriminalCase],
            Reference = "SYNTHETIC Act §1",
        });
        var sender = await federation.StartAsync(options);
        var police = await federation.StartAsync(federation.OptionsFor("EE-POL"));

        var accepted = await sender.SendAsync(new SendMessageRequest
        {
            Recipient = "EE-POL",
            MessageType = MessageTypes.ReferralRequest,
            Purpose = "CriminalProceedings",
            LegalBasis = "LegalObligation",
            Body = JsonSerializer.SerializeToElement(new
            {
                prs_FirstName = "SYNTHETIC-Anna",
                spl_Type = new[] { "Legal" },
                criminalCase = new { proceedingsInitiated = true, witnessStatus = "InjuredParty" },
                cas_OutgoingReferralDate = "2030-03-01",
            }),
        });
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Delivered, status.State);
        Assert.Equal(["cas_OutgoingReferralDate", "criminalCase.proceedingsInitiated", "criminalCase.witnessStatus", "prs_FirstName"], status.DisclosedFields);
        Assert.NotNull(await police.Stores.Inbox.GetAsync(accepted.MessageId, CancellationToken.None));
    }

    [Fact]
    public async Task LegalObligation_without_a_configured_rule_is_refused_with_LEGAL_OBLIGATION_NOT_CONFIGURED()
    {
        await AssertRefusedAsync(_ => Task.FromResult(new SendMessageRequest
        {
            Recipient = "FI-NRM",
            MessageType = MessageTypes.ReferralRequest,
            Body = JsonSerializer.SerializeToElement(AdultReferral),
            LegalBasis = "LegalObligation",
        }), "LEGAL_OBLIGATION_NOT_CONFIGURED");
    }

    private static SendMessageRequest Referral(Guid consent, object body) => new()
    {
        Recipient = "FI-NRM",
        MessageType = MessageTypes.ReferralRequest,
        Body = JsonSerializer.SerializeToElement(body),
        LegalBasis = "Consent",
        ConsentId = consent,
    };

    private static SendMessageRequest Consultation(object body) => new()
    {
        Recipient = "FI-NRM",
        MessageType = MessageTypes.AnonymousConsultation,
        Body = JsonSerializer.SerializeToElement(body),
    };

    private static async Task<Guid> RecordAsync(GatewayNode node, object consent)
    {
        using var response = await node.Api.PostAsJsonAsync("/api/v1/consents", consent);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("consent").GetProperty("consentId").GetGuid();
    }

    /// <summary>Submits against a running FI-NRM, expects 422 with the code, and proves nothing left or was stored.</summary>
    private static async Task AssertRefusedAsync(Func<GatewayNode, Task<SendMessageRequest>> build, string code)
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var request = await build(sender);

        using var response = await sender.Api.PostAsJsonAsync("/api/v1/referrals", request, GatewayNode.ApiJson);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, code);
        Assert.Empty(await sender.Stores.Sent.ListAsync(10, CancellationToken.None));
        var marker = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(marker.MessageId, DeliveryState.Delivered, Deadline);
        Assert.Equal(1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None)); // only the consultation sent after it
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        return text;
    }
}
