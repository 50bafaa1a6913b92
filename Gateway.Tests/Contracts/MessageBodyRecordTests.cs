using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Messages.Bodies;
using Gateway.Service.Disclosure;

namespace Gateway.Tests.Contracts;

/// <summary>The body records and the field catalogue say the same thing, so neither can drift from the other.</summary>
[Trait("Category", "Contracts")]
public sealed class MessageBodyRecordTests
{
    private static readonly Dictionary<string, Type> RecordTypes = new(StringComparer.Ordinal)
    {
        [MessageTypes.AnonymousConsultation] = typeof(AnonymousConsultationBody),
        [MessageTypes.ReferralRequest] = typeof(ReferralRequestBody),
        [MessageTypes.ReferralAcknowledgement] = typeof(ReferralAcknowledgementBody),
        [MessageTypes.AdmissionDecision] = typeof(AdmissionDecisionBody),
        [MessageTypes.StatusUpdate] = typeof(StatusUpdateBody),
        [MessageTypes.ConsentWithdrawn] = typeof(ConsentWithdrawnBody),
        [MessageTypes.ErasureConfirmed] = typeof(ErasureConfirmedBody),
        [MessageTypes.CaseClosed] = typeof(CaseClosedBody),
    };

    // The wire dialect, but refusing any JSON member the record lacks instead of skipping it.
    private static readonly JsonSerializerOptions Strict = new(GatewayJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static TheoryData<string> MessageTypeNames => [.. MessageTypes.All];

    [Fact]
    public void Every_message_type_has_a_body_record_named_after_it()
    {
        Assert.Equal(MessageTypes.All.Order(StringComparer.Ordinal), RecordTypes.Keys.Order(StringComparer.Ordinal));
        Assert.All(RecordTypes, pair => Assert.Equal($"{pair.Key}Body", pair.Value.Name));
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Fully_populated_record_serializes_to_exactly_the_catalogue_paths(string messageType)
    {
        var json = JsonSerializer.SerializeToElement(Populated(messageType), RecordTypes[messageType], GatewayJson.Options);

        var recordPaths = BodyFields.Flatten(json).Select(field => field.Key).ToHashSet(StringComparer.Ordinal);
        var cataloguePaths = FieldCatalogue.For(messageType).Select(field => field.Path).ToHashSet(StringComparer.Ordinal);

        Assert.True(
            recordPaths.SetEquals(cataloguePaths),
            $"{RecordTypes[messageType].Name} and the catalogue of {messageType} differ. Only in the record: [{string.Join(", ", recordPaths.Except(cataloguePaths))}]; only in the catalogue: [{string.Join(", ", cataloguePaths.Except(recordPaths))}].");
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Fully_populated_record_is_accepted_by_the_payload_validator(string messageType)
    {
        // Each member holds a value of its own CLR type (a code takes the catalogue's first value), so a date typed
        // as text or a list typed as one value is refused here.
        var json = JsonSerializer.SerializeToElement(Populated(messageType), RecordTypes[messageType], GatewayJson.Options);

        var problems = new PayloadValidator().Validate(messageType, json);

        Assert.True(problems is null, $"{RecordTypes[messageType].Name}: {string.Join("; ", problems ?? [])}");
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Required_members_are_exactly_the_required_catalogue_fields(string messageType)
    {
        var required = RequiredPaths(RecordTypes[messageType], prefix: null).Order(StringComparer.Ordinal);

        Assert.Equal(FieldCatalogue.For(messageType).Where(field => field.Required).Select(field => field.Path).Order(StringComparer.Ordinal), required);
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Example_reads_into_its_record_and_writes_back_unchanged(string messageType)
    {
        var example = MessageSchemaTests.ReadExample(messageType);

        var record = JsonSerializer.Deserialize(example, RecordTypes[messageType], Strict);
        var written = JsonSerializer.SerializeToNode(record, RecordTypes[messageType], GatewayJson.Options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example.GetRawText()), written), $"docs/examples/{messageType}.json became {written?.ToJsonString()}");
    }

    [Fact]
    public void A_body_without_a_required_member_does_not_read_into_its_record()
    {
        var body = JsonNode.Parse(MessageSchemaTests.ReadExample(MessageTypes.ReferralRequest).GetRawText())!.AsObject();
        body.Remove("cas_OutgoingReferralDate");

        var exception = Assert.Throws<JsonException>(() => body.Deserialize<ReferralRequestBody>(GatewayJson.Options));
        Assert.Contains("cas_OutgoingReferralDate", exception.Message);
    }

    private static object Populated(string messageType) => Populated(messageType, RecordTypes[messageType], prefix: null);

    /// <summary>An instance with every member set, read through the serializer's own view of the type.</summary>
    private static object Populated(string messageType, Type type, string? prefix)
    {
        var info = GatewayJson.Options.GetTypeInfo(type);
        var instance = info.CreateObject?.Invoke() ?? throw new InvalidOperationException($"{type.Name} cannot be created");
        foreach (var property in info.Properties)
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            var field = FieldCatalogue.Find(messageType, path);
            var clrType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = clrType switch
            {
                _ when clrType == typeof(string) => field switch
                {
                    { Kind: FieldKind.Code, Values: [var code, ..] } => code,
                    { Kind: FieldKind.CountryCode } => "FI",
                    _ => "SYNTHETIC",
                },
                _ when clrType == typeof(IReadOnlyList<string>) => field is { Kind: FieldKind.CodeList, Values: [var code, ..] } ? new[] { code } : new[] { "SYNTHETIC" },
                _ when clrType == typeof(DateOnly) => new DateOnly(2030, 3, 1),
                _ when clrType == typeof(DateTimeOffset) => new DateTimeOffset(2030, 3, 1, 10, 30, 0, TimeSpan.FromHours(2)),
                _ when clrType == typeof(bool) => true,
                _ when clrType == typeof(int) => 1,
                _ when clrType.IsClass => Populated(messageType, clrType, path),
                _ => throw new InvalidOperationException($"{type.Name}.{property.Name} has a type the catalogue has no kind for: {clrType}"),
            };
            (property.Set ?? throw new InvalidOperationException($"{type.Name}.{property.Name} cannot be set"))(instance, value);
        }

        return instance;
    }

    private static IEnumerable<string> RequiredPaths(Type type, string? prefix)
    {
        foreach (var property in GatewayJson.Options.GetTypeInfo(type).Properties)
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            if (property.IsRequired)
            {
                yield return path;
            }

            var clrType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (clrType.IsClass && clrType != typeof(string) && clrType.Namespace == typeof(ReferralRequestBody).Namespace)
            {
                foreach (var nested in RequiredPaths(clrType, path))
                {
                    yield return nested;
                }
            }
        }
    }
}
