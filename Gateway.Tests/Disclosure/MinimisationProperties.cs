using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Consent;
using Gateway.Service.Disclosure;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Testing.Persistence;
using Gateway.Tests.Federation;
using Gateway.Service.Node;

namespace Gateway.Tests.Disclosure;

/// <summary>
/// DESIGN §7 as a property: for generated referrals, profiles and consents, the envelope the recipient decrypts with its
/// own key carries exactly profile ∩ categories the consent covers ∩ fields present, transformed as the profile says.
/// The whole sending pipeline runs (schema, consent gate on a stored consent, minimiser, seal); only HTTP is left out.
/// </summary>
[Trait("Category", "Disclosure")]
public sealed class MinimisationProperties : IAsyncLifetime
{
    private static readonly IReadOnlyList<FieldDefinition> ReferralFields = FieldCatalogue.For(MessageTypes.ReferralRequest);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow; // within the dev certificates' validity

    private TestFederation? _federation;
    private NodeIdentity? _sender;
    private NodeStores? _stores;
    private EnvelopeOpener? _recipient;
    private Gateway.Crypto.Identity.DecryptionIdentity? _recipientKey;

    public async Task InitializeAsync()
    {
        _federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = _federation.OptionsFor("EE-SKA");
        _sender = NodeIdentity.Load(options.Node);
        _stores = NodeStores.Create(StorageProvider.Sqlite, options.Storage.ConnectionString);
        await _stores.Database.InitializeAsync(CancellationToken.None);
        _recipientKey = DevPkiLayout.LoadDecryption(_federation.Pki, "FI-NRM");
        _recipient = new EnvelopeOpener(_recipientKey, DevPkiLayout.LoadPeers(_federation.Pki, "FI-NRM"), new CertificateValidator(TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        _sender?.Dispose();
        _recipientKey?.Dispose();
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }
    }

    [Fact]
    public void No_field_outside_profile_and_consented_categories_is_ever_sent_and_the_transformations_hold()
    {
        var cases = from body in BodyGen()
                    from profile in ProfileGen()
                    from categories in Gen.SubListOf(DataCategories.Subject.ToArray())
                    select new Case(body, profile, categories.ToHashSet());
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Arb.From(cases), Check));
    }

    private void Check(Case testCase)
    {
        var (received, header) = SendAndDecryptAsync(testCase).GetAwaiter().GetResult();
        var present = BodyFields.Flatten(testCase.Body).ToDictionary(field => field.Key, field => field.Value);
        var outputs = DisclosurePolicy.OutputFields(testCase.Profile, MessageTypes.ReferralRequest);
        var sent = BodyFields.Flatten(received).ToDictionary(field => field.Key, field => field.Value);

        foreach (var (path, _) in sent)
        {
            var field = FieldCatalogue.Find(MessageTypes.ReferralRequest, path)!;
            Assert.True(outputs.Contains(path), $"{path} is not in the profile");
            Assert.True(!DataCategories.IsAboutSubject(field.Category) || testCase.Categories.Contains(field.Category), $"{path} ({field.Category}) is not covered by the consent");
        }

        // Complete as well as safe: everything allowed and present is sent.
        foreach (var (path, value) in present)
        {
            var field = FieldCatalogue.Find(MessageTypes.ReferralRequest, path)!;
            var transformed = testCase.Profile.Transforms.TryGetValue(path, out var transform);
            var output = transformed ? FieldTransforms.OutputPath(transform) : path;
            var outputCategory = FieldCatalogue.Find(MessageTypes.ReferralRequest, output)!.Category;
            var allowed = (transformed || testCase.Profile.Fields.Contains(path) || field.Required)
                && (!DataCategories.IsAboutSubject(outputCategory) || testCase.Categories.Contains(outputCategory));
            if (allowed)
            {
                Assert.True(sent.ContainsKey(output), $"{path} was allowed but {output} was not sent");
            }
        }

        if (testCase.Profile.Transforms.ContainsKey("prs_Birthdate"))
        {
            Assert.False(sent.ContainsKey("prs_Birthdate"), "the birth date left although the profile sends an age band");
            if (present.TryGetValue("prs_Birthdate", out var birthdate) && sent.TryGetValue("prs_AgeBand", out var band))
            {
                var born = DateOnly.ParseExact(birthdate.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                Assert.Equal(FieldTransforms.AgeBandOf(born, header.CreatedAt), band.GetString());
            }
        }

        if (testCase.Profile.Transforms.ContainsKey("prs_FirstName") && sent.TryGetValue("prs_FirstName", out var firstName))
        {
            var expected = present["prs_FirstName"].GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            Assert.Equal(expected, firstName.GetString());
        }

        Assert.Equal(testCase.Profile.Name, header.DisclosureProfile);
    }

    private async Task<(JsonElement Body, EnvelopeHeader Header)> SendAndDecryptAsync(Case testCase)
    {
        var consent = new ConsentRecord
        {
            ConsentId = Guid.NewGuid(),
            SubjectRef = "SYNTHETIC-PROPERTY",
            GivenBy = ConsentGivenBy.Guardian, // a generated birth date may be a child's
            SubjectIsMinor = false,
            ChildHeard = true,
            Scope = new ConsentScope { Recipients = ["FI-NRM"], Purposes = [MessagePurposes.Assistance], Categories = [.. testCase.Categories] },
            ValidFrom = Now.AddDays(-1),
            ValidUntil = Now.AddDays(1),
            EvidenceRef = "SYNTHETIC-FORM",
            RecordedAt = Now,
            RecordedBy = "property",
        };
        await _stores!.Consents.AddAsync(consent, CancellationToken.None);
        var policy = new DisclosurePolicy(new DisclosureOptions { Profiles = [testCase.Profile] });
        var composer = new ReferralComposer(_sender!, policy, new ConsentGate(policy), new PayloadValidator(), new EnvelopeSealer(new FixedTime(Now)), _stores.Consents, new FixedTime(Now));
        var result = await composer.ComposeAsync(
            new ComposeRequest
            {
                Recipient = "FI-NRM",
                MessageType = MessageTypes.ReferralRequest,
                Body = testCase.Body,
                LegalBasis = LegalBases.Consent,
                ConsentId = consent.ConsentId,
            },
            seal: true,
            CancellationToken.None);
        Assert.True(result.Message is not null, $"refused: {result.Refusal?.Code} {result.Refusal?.Detail} {string.Join("; ", result.Refusal?.Problems ?? [])}");
        var opened = _recipient!.Open(result.Message!.Envelope!);
        Assert.Equal(result.Message.Minimised.Disclosed, BodyFields.Flatten(opened.Payload.Body).Select(field => field.Key).Order(StringComparer.Ordinal));
        return (opened.Payload.Body, opened.Payload.Header);
    }

    /// <summary>Each optional field present or not, with a valid value; the required date always.</summary>
    private static Gen<JsonElement> BodyGen()
    {
        var fields = Gen.Constant(ImmutableListOfRequired());
        foreach (var field in ReferralFields.Where(field => !field.Required))
        {
            fields = from chosen in fields
                     from include in Gen.Elements(true, false)
                     from value in ValueGen(field)
                     select include ? chosen.Add((field, value)) : chosen;
        }

        return fields.Select(chosen => Build(chosen));
    }

    private static System.Collections.Immutable.ImmutableList<(FieldDefinition, object)> ImmutableListOfRequired() =>
        [.. ReferralFields.Where(field => field.Required).Select(field => (field, (object)"2030-03-01"))];

    private static JsonElement Build(IEnumerable<(FieldDefinition Field, object Value)> fields) =>
        JsonSerializer.SerializeToElement(
            BodyFields.Build(fields.Select(pair => new KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>(pair.Field.Path, JsonSerializer.SerializeToNode(pair.Value)))),
            GatewayJson.Options);

    private static Gen<object> ValueGen(FieldDefinition field) => field.Kind switch
    {
        FieldKind.Code => Gen.Elements(field.Values!.ToArray()).Select(value => (object)value),
        FieldKind.CodeList => Gen.NonEmptyListOf(Gen.Elements(field.Values!.ToArray())).Select(values => (object)values.Distinct().ToArray()),
        FieldKind.TextList => Gen.Elements("UA", "EE", "FI").Select(value => (object)new[] { value }),
        FieldKind.CountryCode => Gen.Elements("EE", "FI", "LV").Select(value => (object)value),
        FieldKind.Date => Gen.Choose(0, 365 * 80).Select(days => (object)new DateOnly(1950, 1, 1).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        FieldKind.DateTime => Gen.Constant((object)"2030-03-05T10:30:00+02:00"),
        FieldKind.Boolean => Gen.Elements(true, false).Select(value => (object)value),
        FieldKind.Integer => Gen.Choose(0, 20).Select(value => (object)value),
        _ => Gen.Elements("SYNTHETIC-Anna", "SYNTHETIC-Anna Maria", "SYNTHETIC-Jean-Luc Olev Peeter").Select(value => (object)value),
    };

    private static Gen<DisclosureProfile> ProfileGen() =>
        from fields in Gen.SubListOf(ReferralFields.Select(field => field.Path).ToArray())
        from ageBand in Gen.Elements(true, false)
        from firstNameOnly in Gen.Elements(true, false)
        select NewProfile(fields, ageBand, firstNameOnly);

    private static DisclosureProfile NewProfile(IEnumerable<string> fields, bool ageBand, bool firstNameOnly)
    {
        var profile = new DisclosureProfile
        {
            Name = "generated",
            RecipientKinds = [PeerKind.ContactPoint],
            Purposes = [MessagePurposes.Assistance],
            Fields = [.. fields],
        };
        if (ageBand)
        {
            profile.Fields.Remove("prs_Birthdate");
            profile.Transforms["prs_Birthdate"] = FieldTransform.AgeBand;
        }

        if (firstNameOnly)
        {
            profile.Fields.Remove("prs_FirstName");
            profile.Transforms["prs_FirstName"] = FieldTransform.FirstNameOnly;
        }

        return profile;
    }

    public sealed record Case(JsonElement Body, DisclosureProfile Profile, HashSet<DataCategory> Categories)
    {
        public override string ToString() =>
            $"fields [{string.Join(", ", BodyFields.Flatten(Body).Select(field => field.Key))}] profile [{string.Join(", ", Profile.Fields)}] transforms [{string.Join(", ", Profile.Transforms.Keys)}] consent [{string.Join(", ", Categories)}]";
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
