using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using System.Text.Json.Nodes;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;
using Gateway.Service.Consent;
using Gateway.Service.Disclosure;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Disclosure;

/// <summary>
/// The Residence category (international protection, residence status, the reflection period) through EE-SKA's real
/// sending pipeline, read back with each recipient's own key: a foreign contact point gets the block under consent, a
/// shelter only the counselling flag and the reflection period's end, law enforcement nothing unless a law obliges it.
/// </summary>
[Trait("Category", "Disclosure")]
public sealed class ResidenceDisclosureTests(SendingPipeline pipeline) : IClassFixture<SendingPipeline>
{
    private static readonly DataCategory[] EveryCategory = [.. DataCategories.Subject];

    private static readonly JsonObject Residence = new()
    {
        ["internationalProtection"] = "Applied",
        ["internationalProtectionState"] = "EE",
        ["status"] = "ReflectionPeriod",
        ["reflectionPeriodEnd"] = "2030-04-30",
        ["legalCounsellingNeeded"] = true,
    };

    [Fact]
    public async Task Contact_point_profile_receives_the_whole_residence_block_under_a_consent_that_names_Residence()
    {
        var received = await ReferAsync(SendingPipeline.ContactPoint, MessagePurposes.Assistance, EveryCategory);

        Assert.Equal(DisclosureDefaults.ContactPoint, received.Header.DisclosureProfile);
        Assert.True(JsonNode.DeepEquals(Residence, JsonNode.Parse(received.Body.GetProperty("residence").GetRawText())), received.Body.GetProperty("residence").GetRawText());
    }

    [Fact]
    public async Task Shelter_profile_receives_only_the_counselling_flag_and_the_reflection_period_end()
    {
        var received = await ReferAsync(SendingPipeline.Shelter, MessagePurposes.Assistance, EveryCategory);

        Assert.Equal(DisclosureDefaults.NgoShelter, received.Header.DisclosureProfile);
        Assert.Equal(["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"], SendingPipeline.ResidenceFields(received.Body));
        Assert.Equal("2030-04-30", received.Body.GetProperty("residence").GetProperty("reflectionPeriodEnd").GetString());
    }

    [Fact]
    public async Task Law_enforcement_profile_receives_no_residence_field_even_under_a_consent_that_names_Residence()
    {
        var received = await ReferAsync(SendingPipeline.Police, MessagePurposes.CriminalProceedings, EveryCategory);

        Assert.Equal(DisclosureDefaults.LawEnforcement, received.Header.DisclosureProfile);
        Assert.Empty(SendingPipeline.ResidenceFields(received.Body));
        Assert.Equal("SYNTHETIC-Anna", received.Body.GetProperty("prs_FirstName").GetString()); // the rest of its profile did go
    }

    [Fact]
    public async Task A_LegalObligation_rule_for_law_enforcement_that_names_Residence_lets_the_block_reach_the_police()
    {
        var disclosure = new DisclosureOptions
        {
            LegalObligations =
            [
                new LegalObligationRule
                {
                    RecipientKind = PeerKind.LawEnforcement,
                    Purposes = [MessagePurposes.CriminalProceedings],
                    Categories = [DataCategory.Identity, DataCategory.Residence],
                    Reference = "SYNTHETIC Aliens Act, section 0",
                },
            ],
        };

        var received = await pipeline.SendAsync(Referral(SendingPipeline.Police, MessagePurposes.CriminalProceedings) with { LegalBasis = LegalBases.LegalObligation }, disclosure);

        Assert.Equal(DisclosureDefaults.LawEnforcement, received.Header.DisclosureProfile);
        Assert.True(JsonNode.DeepEquals(Residence, JsonNode.Parse(received.Body.GetProperty("residence").GetRawText())), received.Body.GetProperty("residence").GetRawText());
    }

    [Fact]
    public void A_LegalObligation_rule_for_law_enforcement_that_does_not_name_Residence_leaves_it_out_of_the_profile()
    {
        var policy = new DisclosurePolicy(new DisclosureOptions
        {
            LegalObligations =
            [
                new LegalObligationRule
                {
                    RecipientKind = PeerKind.LawEnforcement,
                    Purposes = [MessagePurposes.CriminalProceedings],
                    Categories = [DataCategory.Identity, DataCategory.CriminalCase],
                    Reference = "SYNTHETIC Victim Assistance Act, section 0",
                },
            ],
        });

        var profile = policy.Resolve(SendingPipeline.Police, PeerKind.LawEnforcement, MessagePurposes.CriminalProceedings)!;

        Assert.DoesNotContain(profile.Fields, field => FieldCatalogue.Find(MessageTypes.ReferralRequest, field)!.Category == DataCategory.Residence);
    }

    [Fact]
    public async Task Residence_is_withheld_from_the_contact_point_as_CATEGORY_NOT_COVERED_when_the_consent_does_not_name_it()
    {
        var consent = await pipeline.ConsentAsync(SendingPipeline.ContactPoint, MessagePurposes.Assistance, EveryCategory.Where(category => category != DataCategory.Residence));

        var result = await pipeline.ComposeAsync(Referral(SendingPipeline.ContactPoint, MessagePurposes.Assistance) with { ConsentId = consent });

        Assert.Empty(SendingPipeline.ResidenceFields(JsonSerializer.SerializeToElement(result.Message!.Minimised.Body)));
        Assert.Equal(
            Residence.Select(field => ($"residence.{field.Key}", "CATEGORY_NOT_COVERED:Residence")).Order(),
            result.Message.Minimised.Withheld.Where(field => field.Path.StartsWith("residence.", StringComparison.Ordinal)).Select(field => (field.Path, field.Reason)).Order());
    }

    [Fact]
    public async Task VitalInterests_does_not_cover_Residence_by_default()
    {
        var result = await pipeline.ComposeAsync(Referral(SendingPipeline.ContactPoint, MessagePurposes.Assistance) with
        {
            LegalBasis = LegalBases.VitalInterests,
            Justification = "SYNTHETIC: unconscious after an assault, needs a safe bed tonight",
        });

        Assert.NotNull(result.Message);
        Assert.Empty(SendingPipeline.ResidenceFields(JsonSerializer.SerializeToElement(result.Message.Minimised.Body)));
        Assert.DoesNotContain(DataCategory.Residence, result.Message.Minimised.SubjectCategories);
    }

    [Fact]
    public async Task A_status_update_to_a_contact_point_reports_the_change_of_residence_under_consent()
    {
        var received = await UpdateAsync(SendingPipeline.ContactPoint);

        Assert.Equal(DisclosureDefaults.CaseCoordination, received.Header.DisclosureProfile);
        Assert.Equal(LegalBases.Consent, received.Header.LegalBasis);
        Assert.True(JsonNode.DeepEquals(Residence, JsonNode.Parse(received.Body.GetProperty("residence").GetRawText())), received.Body.GetProperty("residence").GetRawText());
    }

    [Fact]
    public async Task A_status_update_to_a_shelter_carries_only_the_counselling_flag_and_the_extended_reflection_period_end()
    {
        var received = await UpdateAsync(SendingPipeline.Shelter);

        Assert.Equal(DisclosureDefaults.NgoCaseCoordination, received.Header.DisclosureProfile);
        Assert.Equal(["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"], SendingPipeline.ResidenceFields(received.Body));
        Assert.Equal("Active", received.Body.GetProperty("cas_Status").GetString());
    }

    [Fact]
    public async Task A_status_update_to_law_enforcement_carries_no_residence_field()
    {
        var received = await UpdateAsync(SendingPipeline.Police);

        Assert.Equal(DisclosureDefaults.LawEnforcementCaseCoordination, received.Header.DisclosureProfile);
        Assert.Empty(SendingPipeline.ResidenceFields(received.Body));
        Assert.Equal("Active", received.Body.GetProperty("cas_Status").GetString());
    }

    [Fact]
    public async Task A_status_update_that_reports_a_change_of_residence_without_a_legal_basis_is_refused_with_LEGAL_BASIS_REQUIRED()
    {
        var result = await pipeline.ComposeAsync(StatusUpdate(SendingPipeline.ContactPoint));

        Assert.Null(result.Message);
        Assert.Equal(ConsentCodes.LegalBasisRequired, result.Refusal!.Code);
    }

    [Fact]
    public async Task A_status_update_without_the_residence_block_still_leaves_without_a_legal_basis()
    {
        var request = StatusUpdate(SendingPipeline.Shelter);
        var body = JsonNode.Parse(request.Body.GetRawText())!.AsObject();
        body.Remove("residence");

        var received = await pipeline.SendAsync(request with { Body = JsonSerializer.SerializeToElement(body) });

        Assert.Null(received.Header.LegalBasis);
    }

    [Fact]
    public void For_any_residence_block_and_consent_the_shelter_gets_at_most_its_two_fields_and_law_enforcement_none()
    {
        var residenceFields = FieldCatalogue.For(MessageTypes.ReferralRequest).Where(field => field.Category == DataCategory.Residence).ToArray();
        var cases = from present in Gen.SubListOf(residenceFields).Where(fields => fields.Count > 0)
                    from values in Gen.CollectToArray(present, ValueGen)
                    from categories in Gen.SubListOf(EveryCategory)
                    from recipient in Gen.Elements(SendingPipeline.Shelter, SendingPipeline.Police)
                    select (Block: new JsonObject(present.Zip(values, (field, value) => KeyValuePair.Create<string, JsonNode?>(field.Path["residence.".Length..], value))), Categories: categories, Recipient: recipient);

        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(Arb.From(cases), testCase =>
        {
            var purpose = testCase.Recipient == SendingPipeline.Shelter ? MessagePurposes.Assistance : MessagePurposes.CriminalProceedings;
            var consent = pipeline.ConsentAsync(testCase.Recipient, purpose, testCase.Categories).GetAwaiter().GetResult();
            var request = Referral(testCase.Recipient, purpose) with { ConsentId = consent };
            var body = JsonNode.Parse(request.Body.GetRawText())!.AsObject();
            body["residence"] = testCase.Block.DeepClone();

            var received = pipeline.SendAsync(request with { Body = JsonSerializer.SerializeToElement(body) }).GetAwaiter().GetResult();

            IEnumerable<string> allowed = testCase.Recipient == SendingPipeline.Shelter && testCase.Categories.Contains(DataCategory.Residence)
                ? ["residence.legalCounsellingNeeded", "residence.reflectionPeriodEnd"]
                : [];
            var expected = testCase.Block.Select(field => $"residence.{field.Key}").Intersect(allowed).Order(StringComparer.Ordinal);
            Assert.Equal(expected, SendingPipeline.ResidenceFields(received.Body));
        }));
    }

    [Fact]
    public void An_anonymous_consultation_about_international_protection_is_anonymous_and_valid()
    {
        var body = JsonSerializer.SerializeToElement(new
        {
            topic = "InternationalProtection",
            question = "SYNTHETIC: can an adult in a reflection period in your state apply for international protection there, and who advises on it?",
        });

        Assert.Null(AnonymityCheck.FindPersonalData(body));
        Assert.Null(new PayloadValidator().Validate(MessageTypes.AnonymousConsultation, body));
    }

    [Fact]
    public void An_anonymous_consultation_carrying_the_residence_block_is_personal_data()
    {
        var body = JsonSerializer.SerializeToElement(new
        {
            topic = "Residence",
            question = "SYNTHETIC: what can she do?",
            residence = new { status = "NoStatus" },
        });

        Assert.Equal("residence.status is personal data", AnonymityCheck.FindPersonalData(body));
    }

    private static Gen<JsonNode?> ValueGen(FieldDefinition field) => field.Kind switch
    {
        FieldKind.Code => Gen.Elements(field.Values!.ToArray()).Select(value => (JsonNode?)JsonValue.Create(value)),
        FieldKind.CountryCode => Gen.Elements("EE", "FI", "LV").Select(value => (JsonNode?)JsonValue.Create(value)),
        FieldKind.Date => Gen.Choose(0, 365).Select(days => (JsonNode?)JsonValue.Create(new DateOnly(2030, 1, 1).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
        FieldKind.Boolean => Gen.Elements(true, false).Select(value => (JsonNode?)JsonValue.Create(value)),
        _ => throw new InvalidOperationException($"{field.Path}: no generator for {field.Kind}"),
    };

    private async Task<EnvelopePayload> ReferAsync(string recipient, string purpose, IEnumerable<DataCategory> categories)
    {
        var consent = await pipeline.ConsentAsync(recipient, purpose, categories);
        return await pipeline.SendAsync(Referral(recipient, purpose) with { ConsentId = consent });
    }

    private async Task<EnvelopePayload> UpdateAsync(string recipient)
    {
        var consent = await pipeline.ConsentAsync(recipient, MessagePurposes.CaseCoordination, EveryCategory);
        return await pipeline.SendAsync(StatusUpdate(recipient) with { LegalBasis = LegalBases.Consent, ConsentId = consent });
    }

    private static ComposeRequest Referral(string recipient, string purpose) => new()
    {
        Recipient = recipient,
        MessageType = MessageTypes.ReferralRequest,
        Purpose = purpose,
        LegalBasis = LegalBases.Consent,
        Body = Body(new JsonObject
        {
            ["prs_FirstName"] = "SYNTHETIC-Anna",
            ["spl_Type"] = new JsonArray("Legal"),
            ["residence"] = Residence.DeepClone(),
            ["cas_OutgoingReferralDate"] = "2030-03-01",
        }),
    };

    private static ComposeRequest StatusUpdate(string recipient) => new()
    {
        Recipient = recipient,
        MessageType = MessageTypes.StatusUpdate,
        Purpose = MessagePurposes.CaseCoordination,
        Body = Body(new JsonObject
        {
            ["cas_Status"] = "Active",
            ["statusDate"] = "2030-03-16",
            ["residence"] = Residence.DeepClone(),
        }),
    };

    private static JsonElement Body(JsonObject body) => JsonSerializer.SerializeToElement(body, GatewayJson.Options);
}
