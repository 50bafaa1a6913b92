using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Crypto.Peers;
using Gateway.Service.Disclosure;
using Gateway.Service.Node;

namespace Gateway.Service.Peering;

/// <summary>
/// Minimisation enforced at the receiving end too (DESIGN §7): the body must match its schema, its purpose its
/// type, and its fields the profile this node agreed with the sender. Names of offending fields go back; values never.
/// </summary>
internal sealed class InboundContentCheck(DisclosurePolicy policy, PayloadValidator validator, NodeIdentity identity)
{
    public GatewayProblem? Check(EnvelopeHeader header, JsonElement body, TrustedPeer sender)
    {
        var purpose = header.Purpose ?? string.Empty;
        if (!MessagePurposes.AllowedFor(header.MessageType).Contains(purpose, StringComparer.Ordinal))
        {
            return new GatewayProblem(422, DisclosureCodes.PurposeNotAllowed, $"message {header.MessageId}: {header.MessageType} is not sent for purpose '{purpose}'");
        }

        if (header.MessageType == MessageTypes.AnonymousConsultation && AnonymityCheck.FindPersonalData(body) is { } giveaway)
        {
            return new GatewayProblem(422, DisclosureCodes.NotAnonymous, $"message {header.MessageId}: {giveaway}");
        }

        if (validator.Validate(header.MessageType, body) is { } problems)
        {
            return new GatewayProblem(422, DisclosureCodes.SchemaInvalid, $"message {header.MessageId} does not match the {header.MessageType} schema: {string.Join("; ", problems)}");
        }

        if (policy.Resolve(sender.Id, identity.Kind, purpose) is not { } profile)
        {
            return new GatewayProblem(422, DisclosureCodes.NoDisclosureProfile, $"message {header.MessageId}: this node agreed no profile with {sender.Id} for {purpose}");
        }

        if (!string.Equals(header.DisclosureProfile, profile.Name, StringComparison.Ordinal))
        {
            return new GatewayProblem(422, DisclosureCodes.ProfileMismatch, $"message {header.MessageId} claims profile '{header.DisclosureProfile}'; this node agreed '{profile.Name}' with {sender.Id} for {purpose}");
        }

        var allowed = DisclosurePolicy.OutputFields(profile, header.MessageType);
        var fields = BodyFields.Flatten(body);
        var over = fields.Select(field => field.Key).Where(path => !allowed.Contains(path)).ToList();
        if (profile.Transforms.ContainsValue(FieldTransform.FirstNameOnly) && !profile.Fields.Contains("prs_FirstName", StringComparer.Ordinal)
            && fields.Any(field => field.Key == "prs_FirstName" && field.Value.GetString() is { } name && FieldTransforms.FirstGivenName(name) != name))
        {
            over.Add("prs_FirstName (more than the first given name)");
        }

        if (over.Count > 0)
        {
            return new GatewayProblem(422, DisclosureCodes.OverDisclosure, $"message {header.MessageId} carries fields outside profile '{profile.Name}': {string.Join(", ", over)}");
        }

        var aboutSubject = fields.Any(field => FieldCatalogue.Find(header.MessageType, field.Key) is { } definition && DataCategories.IsAboutSubject(definition.Category));
        if (aboutSubject && !LegalBases.IsKnown(header.LegalBasis))
        {
            return new GatewayProblem(422, DisclosureCodes.LegalBasisMissing, $"message {header.MessageId} carries data about a person without a legal basis");
        }

        return null;
    }
}
