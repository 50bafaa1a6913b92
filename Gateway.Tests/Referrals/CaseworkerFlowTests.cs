using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Audit;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Testing.Repository;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Referrals;

/// <summary>The caseworker's day with real hosts: preview, send, answers through the inbox, VitalInterests, the audit trail, retention.</summary>
[Trait("Category", "Integration")]
public sealed class CaseworkerFlowTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly object RichReferral = new
    {
        prs_FirstName = "SYNTHETIC-Anna Maria",
        prs_SecondName = "SYNTHETIC-Example",
        prs_Birthdate = "1999-04-01",
        prs_IdentityNumber = "SYNTHETIC-000",
        prs_PrimaryLanguage = "ukr",
        vic_TypeOfExploitation = new[] { "ForcedLabour" },
        spl_Type = new[] { "SocialCare" },
        safety = new { riskLevel = "High" },
        cas_OutgoingReferralDate = "2030-03-01",
    };

    [Fact]
    public async Task Preview_for_a_shelter_shows_the_age_band_and_first_name_and_withholds_identity_number_surname_and_exploitation()
    {
        await using var federation = TestFederation.Create("EE-SKA", "LV-NGO-SAFEHOUSE");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await estonia.RecordConsentAsync(["LV-NGO-SAFEHOUSE"], ["Identity", "Demographic", "Exploitation", "Needs", "Safety"]);

        using var response = await estonia.Api.PostAsJsonAsync("/api/v1/referrals/preview", Referral("LV-NGO-SAFEHOUSE", consent), GatewayNode.ApiJson);
        var preview = (await response.Content.ReadFromJsonAsync<JsonElement>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ngo-shelter", preview.GetProperty("disclosureProfile").GetString());
        var body = preview.GetProperty("body");
        Assert.Equal("SYNTHETIC-Anna", body.GetProperty("prs_FirstName").GetString());
        Assert.Equal(Gateway.Service.Disclosure.FieldTransforms.AgeBandOf(new DateOnly(1999, 4, 1), DateTimeOffset.UtcNow), body.GetProperty("prs_AgeBand").GetString());
        var withheld = preview.GetProperty("withheld").EnumerateArray().Select(field => field.GetProperty("path").GetString()).ToList();
        Assert.Contains("prs_IdentityNumber", withheld);
        Assert.Contains("prs_SecondName", withheld);
        Assert.Contains("vic_TypeOfExploitation", withheld);
        Assert.False(body.TryGetProperty("prs_Birthdate", out _));
        Assert.Empty(await estonia.Stores.Sent.ListAsync(10, CancellationToken.None)); // a preview sends nothing
    }

    [Fact]
    public async Task Preview_for_a_shelter_shows_the_counselling_flag_and_reflection_period_end_and_withholds_the_residence_status_and_international_protection()
    {
        await using var federation = TestFederation.Create("EE-SKA", "LV-NGO-SAFEHOUSE");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await estonia.RecordConsentAsync(["LV-NGO-SAFEHOUSE"], ["Identity", "Needs", "Residence"]);
        var request = Referral("LV-NGO-SAFEHOUSE", consent) with
        {
            Body = JsonSerializer.SerializeToElement(new
            {
                prs_FirstName = "SYNTHETIC-Anna",
                residence = new { internationalProtection = "WishesToApply", status = "ReflectionPeriod", reflectionPeriodEnd = "2030-04-30", legalCounsellingNeeded = true },
                cas_OutgoingReferralDate = "2030-03-01",
            }),
        };

        using var response = await estonia.Api.PostAsJsonAsync("/api/v1/referrals/preview", request, GatewayNode.ApiJson);
        var preview = (await response.Content.ReadFromJsonAsync<JsonElement>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var residence = preview.GetProperty("body").GetProperty("residence");
        Assert.Equal(["legalCounsellingNeeded", "reflectionPeriodEnd"], residence.EnumerateObject().Select(field => field.Name).Order(StringComparer.Ordinal));
        Assert.Equal("2030-04-30", residence.GetProperty("reflectionPeriodEnd").GetString());
        var withheld = preview.GetProperty("withheld").EnumerateArray()
            .Where(field => field.GetProperty("path").GetString()!.StartsWith("residence.", StringComparison.Ordinal))
            .Select(field => $"{field.GetProperty("path").GetString()} {field.GetProperty("reason").GetString()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["residence.internationalProtection NOT_IN_PROFILE", "residence.status NOT_IN_PROFILE"], withheld);
    }

    [Fact]
    public async Task A_status_update_reply_that_reports_a_change_of_residence_is_refused_with_LEGAL_BASIS_REQUIRED_and_nothing_leaves()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var consultation = await estonia.ConsultAsync("FI-NRM");
        await estonia.WaitForStateAsync(consultation.MessageId, DeliveryState.Delivered, Deadline);

        // A reply names no legal basis, and migration status about the person needs one: it must not leave as case coordination.
        using var reply = await finland.Api.PostAsJsonAsync($"/api/v1/inbox/{consultation.MessageId}/replies", new
        {
            messageType = MessageTypes.StatusUpdate,
            body = new { cas_Status = "Active", residence = new { internationalProtection = "Applied", internationalProtectionState = "FI" } },
        });

        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)reply.StatusCode}: {text}");
        Assert.Contains("LEGAL_BASIS_REQUIRED", text);
        Assert.DoesNotContain("Applied", text);
        Assert.Empty(await finland.Stores.Sent.ListAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_status_update_reply_that_reports_a_change_of_residence_leaves_under_the_consent_it_names()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var consultation = await estonia.ConsultAsync("FI-NRM");
        await estonia.WaitForStateAsync(consultation.MessageId, DeliveryState.Delivered, Deadline);
        var consent = await finland.RecordConsentAsync(["EE-SKA"], ["Residence"], purposes: [MessagePurposes.CaseCoordination], conversationId: consultation.ConversationId);

        using var reply = await finland.Api.PostAsJsonAsync($"/api/v1/inbox/{consultation.MessageId}/replies", new
        {
            messageType = MessageTypes.StatusUpdate,
            body = new { cas_Status = "Active", residence = new { internationalProtection = "Applied", internationalProtectionState = "FI" } },
            legalBasis = LegalBases.Consent,
            consentId = consent,
        });

        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == HttpStatusCode.Accepted, $"{(int)reply.StatusCode}: {text}");
        var accepted = JsonSerializer.Deserialize<SendMessageAccepted>(text, GatewayNode.ApiJson)!;
        Assert.Contains("residence.internationalProtection", accepted.DisclosedFields);
        var delivered = await finland.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);
        Assert.Equal(DeliveryState.Delivered, delivered.State);
    }

    [Fact]
    public async Task A_recipient_answers_through_its_inbox_and_the_answer_arrives_in_the_senders_inbox_in_the_same_conversation()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var consent = await estonia.RecordConsentAsync(["FI-NRM"], ["Identity", "Demographic", "Needs", "Safety"]);
        var referral = await estonia.SendAsync(Referral("FI-NRM", consent));
        await estonia.WaitForStateAsync(referral.MessageId, DeliveryState.Delivered, Deadline);

        using var received = await finland.Api.GetAsync($"/api/v1/inbox/{referral.MessageId}");
        var item = (await received.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal("SYNTHETIC-Anna Maria", item.GetProperty("body").GetProperty("prs_FirstName").GetString());
        using var reply = await finland.Api.PostAsJsonAsync($"/api/v1/inbox/{referral.MessageId}/replies", new
        {
            messageType = MessageTypes.AdmissionDecision,
            body = new { decision = "Accepted", reasonCode = "EligibleForAssistance" },
        });
        var accepted = (await reply.Content.ReadFromJsonAsync<SendMessageAccepted>(GatewayNode.ApiJson))!;
        await finland.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        using var answer = await estonia.Api.GetAsync($"/api/v1/inbox/{accepted.MessageId}");
        var decision = (await answer.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(referral.ConversationId, decision.GetProperty("conversationId").GetString());
        Assert.Equal(referral.MessageId, decision.GetProperty("inReplyTo").GetGuid());
        Assert.Equal("Accepted", decision.GetProperty("body").GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_reply_that_tries_to_carry_data_about_the_person_is_refused_with_SCHEMA_INVALID()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var consultation = await estonia.ConsultAsync("FI-NRM");
        await estonia.WaitForStateAsync(consultation.MessageId, DeliveryState.Delivered, Deadline);

        using var reply = await finland.Api.PostAsJsonAsync($"/api/v1/inbox/{consultation.MessageId}/replies", new
        {
            messageType = MessageTypes.StatusUpdate,
            body = new { cas_Status = "Active", prs_Birthdate = "1999-04-01" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains("SCHEMA_INVALID", await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VitalInterests_with_a_justification_is_sent_audited_and_shown_to_operators_with_field_names_and_the_justifications_hash_only()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        const string Justification = "SYNTHETIC: unconscious after an assault, needs a safe bed tonight";

        var accepted = await estonia.SendAsync(new SendMessageRequest
        {
            Recipient = "FI-NRM",
            MessageType = MessageTypes.ReferralRequest,
            Body = JsonSerializer.SerializeToElement(RichReferral),
            LegalBasis = "VitalInterests",
            Justification = Justification,
        });
        using var listed = await estonia.ApiAs("operator").GetAsync("/ops/v1/vital-interests");
        var text = await listed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(accepted.MessageId.ToString(), text);
        Assert.DoesNotContain(Justification, text);
        Assert.DoesNotContain("assault", text);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Justification))), text);
        Assert.Contains("prs_FirstName", text);
        Assert.DoesNotContain("SYNTHETIC-Anna", text);
        Assert.DoesNotContain("vic_TypeOfExploitation", text); // not a VitalInterests category
        var audit = await estonia.Stores.Audit.ListAsync(AuditActions.VitalInterestsDisclosure, 10, CancellationToken.None);
        Assert.Equal(accepted.MessageId, Assert.Single(audit).MessageId);
        Assert.DoesNotContain("assault", Assert.Single(audit).Detail); // the audit log, never erased, holds its hash only
    }

    [Fact]
    public async Task The_audit_log_records_the_names_of_disclosed_fields_and_never_their_values()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var consent = await estonia.RecordConsentAsync(["FI-NRM"], ["Identity", "Demographic", "Needs", "Safety"]);
        var referral = await estonia.SendAsync(Referral("FI-NRM", consent));
        await estonia.WaitForStateAsync(referral.MessageId, DeliveryState.Delivered, Deadline);

        var sent = Assert.Single(await estonia.Stores.Audit.ListAsync(AuditActions.MessageSubmitted, 10, CancellationToken.None));
        var received = Assert.Single(await finland.Stores.Audit.ListAsync(AuditActions.MessageReceived, 10, CancellationToken.None));

        foreach (var line in new[] { sent, received })
        {
            Assert.Equal(referral.MessageId, line.MessageId);
            Assert.Contains("prs_FirstName", line.Detail);
            Assert.Contains("prs_Birthdate", line.Detail);
            Assert.DoesNotContain("SYNTHETIC", line.Detail);
            Assert.DoesNotContain("1999", line.Detail);
        }

        Assert.DoesNotContain("vic_TypeOfExploitation", sent.Detail); // not consented: neither sent nor named as sent
    }

    [Fact]
    public async Task Content_past_its_retention_period_is_purged_and_the_metadata_stays()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finlandOptions = federation.OptionsFor("FI-NRM");
        finlandOptions.Retention = new Gateway.Service.Retention.RetentionOptions { InboundContent = TimeSpan.Zero, SweepInterval = TimeSpan.FromMilliseconds(200) };
        var finland = await federation.StartAsync(finlandOptions);
        var consultation = await estonia.ConsultAsync("FI-NRM");
        await estonia.WaitForStateAsync(consultation.MessageId, DeliveryState.Delivered, Deadline);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var read = await finland.Api.GetAsync($"/api/v1/inbox/{consultation.MessageId}");
            status = read.StatusCode;
        }
        while (status != HttpStatusCode.Gone && clock.Elapsed < Deadline);

        Assert.Equal(HttpStatusCode.Gone, status);
        var stored = await finland.Stores.Inbox.GetAsync(consultation.MessageId, CancellationToken.None);
        Assert.Equal("RETENTION", stored!.ErasureReason);
        Assert.NotEmpty(stored.Receipt);
        Assert.NotEmpty(await finland.Stores.Audit.ListAsync(AuditActions.RetentionPurge, 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_documented_AnonymousConsultation_example_with_its_reply_by_date_is_delivered_without_consent()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var example = RepositoryRoot.PathOf("docs", "examples", "AnonymousConsultation.json");

        var accepted = await estonia.SendAsync(new SendMessageRequest
        {
            Recipient = "FI-NRM",
            MessageType = MessageTypes.AnonymousConsultation,
            Body = JsonDocument.Parse(await File.ReadAllTextAsync(example)).RootElement.Clone(),
        });
        var status = await estonia.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Delivered, status.State);
        Assert.Contains("replyBy", status.DisclosedFields);
        Assert.Null(status.LegalBasis);
    }

    [Fact]
    public async Task An_unreadable_request_is_answered_with_problem_json_REQUEST_INVALID_that_does_not_echo_it()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));

        using var response = await estonia.Api.PostAsync("/api/v1/referrals", new StringContent("{\"recipient\": \"FI-NRM\", \"body\": {\"prs_FirstName\": \"SYNTHETIC-Anna\"", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("REQUEST_INVALID", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("SYNTHETIC-Anna", text);
    }

    private static SendMessageRequest Referral(string recipient, Guid consent) => new()
    {
        Recipient = recipient,
        MessageType = MessageTypes.ReferralRequest,
        Body = JsonSerializer.SerializeToElement(RichReferral),
        LegalBasis = "Consent",
        ConsentId = consent,
    };
}
