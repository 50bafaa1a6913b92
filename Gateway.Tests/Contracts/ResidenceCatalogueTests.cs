using System.Text.Json.Nodes;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;

namespace Gateway.Tests.Contracts;

/// <summary>The Residence category in the field catalogue and the schemas generated from it.</summary>
[Trait("Category", "Contracts")]
public sealed class ResidenceCatalogueTests
{
    private static readonly string[] ResidencePaths =
    [
        "residence.internationalProtection", "residence.internationalProtectionState", "residence.status",
        "residence.reflectionPeriodEnd", "residence.legalCounsellingNeeded",
    ];

    public static TheoryData<string> TypesWithResidence => [MessageTypes.ReferralRequest, MessageTypes.StatusUpdate];

    [Theory]
    [MemberData(nameof(TypesWithResidence))]
    public void The_residence_block_is_category_Residence_marked_MigrationStatus_and_never_required(string messageType)
    {
        var fields = FieldCatalogue.For(messageType).Where(field => field.Path.StartsWith("residence.", StringComparison.Ordinal)).ToList();

        Assert.Equal(ResidencePaths, fields.Select(field => field.Path));
        Assert.All(fields, field =>
        {
            Assert.Equal(DataCategory.Residence, field.Category);
            Assert.True(field.Sensitivity.HasFlag(Sensitivity.MigrationStatus), $"{field.Path} is not marked MigrationStatus");
            Assert.False(field.Required, $"{field.Path} is required");
        });
    }

    [Fact]
    public void A_status_update_reports_residence_with_the_same_fields_and_codes_as_a_referral()
    {
        var referral = FieldCatalogue.For(MessageTypes.ReferralRequest).Where(field => field.Category == DataCategory.Residence);
        var update = FieldCatalogue.For(MessageTypes.StatusUpdate).Where(field => field.Category == DataCategory.Residence);

        Assert.Equal(
            referral.Select(field => (field.Path, field.Kind, string.Join(",", field.Values ?? []))),
            update.Select(field => (field.Path, field.Kind, string.Join(",", field.Values ?? []))));
    }

    [Fact]
    public void Residence_is_about_the_person_so_a_legal_basis_must_cover_it()
    {
        Assert.Contains(DataCategory.Residence, DataCategories.Subject);
        Assert.True(DataCategories.IsAboutSubject(DataCategory.Residence));
    }

    [Fact]
    public void No_message_type_but_ReferralRequest_and_StatusUpdate_carries_Residence()
    {
        var carriers = MessageTypes.All.Where(type => FieldCatalogue.For(type).Any(field => field.Category == DataCategory.Residence));

        Assert.Equal([MessageTypes.ReferralRequest, MessageTypes.StatusUpdate], carriers);
    }

    [Fact]
    public void Anonymous_consultation_topics_include_international_protection_and_residence()
    {
        var topics = FieldCatalogue.Find(MessageTypes.AnonymousConsultation, "topic")!.Values!;

        Assert.Contains("InternationalProtection", topics);
        Assert.Contains("Residence", topics);
    }

    [Theory]
    [MemberData(nameof(TypesWithResidence))]
    public void The_schema_closes_the_residence_block_and_marks_each_field_Residence(string messageType)
    {
        var block = MessageSchemas.For(messageType)["properties"]!["residence"]!.AsObject();

        Assert.False(block["additionalProperties"]!.GetValue<bool>());
        var properties = block["properties"]!.AsObject();
        Assert.Equal(ResidencePaths.Select(path => path["residence.".Length..]), properties.Select(property => property.Key));
        Assert.All(properties, property => Assert.Equal("Residence", property.Value!["x-category"]!.GetValue<string>()));
        Assert.Equal("^[A-Z]{2}$", properties["internationalProtectionState"]!["pattern"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonValue.Create("date"), properties["reflectionPeriodEnd"]!["format"]));
    }
}
