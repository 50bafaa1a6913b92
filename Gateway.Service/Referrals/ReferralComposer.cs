using System.Globalization;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Consent;
using Gateway.Service.Disclosure;
using Gateway.Service.Node;

namespace Gateway.Service.Referrals;

/// <summary>
/// The sending pipeline up to the seal, in the order data flows (STYLE): validate → consent gate → minimiser →
/// header → sealer. Every message a node sends passes here, the caseworker's and the node's own (erasure, replies).
/// </summary>
public sealed class ReferralComposer(
    NodeIdentity identity,
    DisclosurePolicy policy,
    ConsentGate gate,
    PayloadValidator validator,
    EnvelopeSealer sealer,
    ConsentStore consents,
    TimeProvider time)
{
    public async Task<ComposeResult> ComposeAsync(ComposeRequest request, bool seal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (identity.Peers.Find(request.Recipient) is not { } recipient)
        {
            return new GatewayProblem(400, ReferralCodes.UnknownRecipient, "the recipient is not a registered peer of this node");
        }

        if (!MessageTypes.IsKnown(request.MessageType))
        {
            return new GatewayProblem(400, ReferralCodes.UnknownMessageType, $"messageType must be one of {string.Join(", ", MessageTypes.All)}");
        }

        if (request.Body.ValueKind != JsonValueKind.Object)
        {
            return new GatewayProblem(400, ReferralCodes.BodyNotObject, "body must be a JSON object");
        }

        var allowedPurposes = MessagePurposes.AllowedFor(request.MessageType);
        var purpose = request.Purpose ?? allowedPurposes[0];
        if (!allowedPurposes.Contains(purpose, StringComparer.Ordinal))
        {
            return new GatewayProblem(422, DisclosureCodes.PurposeNotAllowed, $"{request.MessageType} is sent for {string.Join(" or ", allowedPurposes)} only");
        }

        // Checked before the schema so that a smuggled name gets its own code rather than "unknown field".
        if (request.MessageType == MessageTypes.AnonymousConsultation && AnonymityCheck.FindPersonalData(request.Body) is { } giveaway)
        {
            return new GatewayProblem(422, DisclosureCodes.NotAnonymous, $"an AnonymousConsultation carries no personal data: {giveaway}");
        }

        if (validator.Validate(request.MessageType, request.Body) is { } problems)
        {
            return new GatewayProblem(400, DisclosureCodes.SchemaInvalid, $"body does not match the {request.MessageType} schema", problems);
        }

        if (policy.Resolve(recipient.Id, recipient.Kind, purpose) is not { } profile)
        {
            return new GatewayProblem(422, DisclosureCodes.NoDisclosureProfile, $"no disclosure profile lets {request.MessageType} go to {recipient.Kind} recipients for {purpose}");
        }

        var now = time.GetUtcNow();
        var aboutSubject = BodyFields.Flatten(request.Body)
            .Any(field => FieldCatalogue.Find(request.MessageType, field.Key) is { } definition && DataCategories.IsAboutSubject(definition.Category));
        IReadOnlySet<DataCategory> covered = new HashSet<DataCategory>();
        string? legalBasis = null;
        Guid? consentId = null;
        string? reference = null;
        if (aboutSubject)
        {
            var consent = request.LegalBasis == LegalBases.Consent && request.ConsentId is { } id ? await consents.GetAsync(id, cancellationToken) : null;
            if (request.LegalBasis == LegalBases.Consent && request.ConsentId is null)
            {
                return new GatewayProblem(422, ConsentCodes.ConsentRequired, "legalBasis Consent needs a consentId");
            }

            if (consent?.CaseId is { } consentCase && request.ConversationId is { } conversation && consentCase != conversation)
            {
                return new GatewayProblem(422, ConsentCodes.ConsentCaseMismatch, $"consent {consent.ConsentId} was recorded in another case; send in that case or record a consent in this one");
            }

            if (request.LegalBasis == LegalBases.VitalInterests && request.Justification is { } text && AnonymityCheck.FindInText(text) is { } kind)
            {
                return new GatewayProblem(422, ConsentCodes.JustificationNotAnonymous, $"the justification contains what looks like {kind}: state the need without identifying anyone");
            }

            var decision = gate.Evaluate(request.LegalBasis, consent, request.Justification, recipient, purpose, IsMinor(request.Body, now), now);
            if (!decision.Allowed)
            {
                return new GatewayProblem(422, decision.Code!, decision.Detail!);
            }

            covered = decision.Covered;
            reference = decision.Reference;
            legalBasis = request.LegalBasis;
            consentId = legalBasis == LegalBases.Consent ? request.ConsentId : null;
        }

        var minimised = Minimiser.Minimise(request.MessageType, request.Body, profile, covered, now);
        var header = new EnvelopeHeader
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = request.MessageType,
            From = identity.NodeId,
            To = recipient.Id,
            CreatedAt = now,
            ConversationId = request.ConversationId ?? Cases.CaseIds.New(),
            InReplyTo = request.InReplyTo,
            Purpose = purpose,
            LegalBasis = legalBasis,
            ConsentRef = consentId?.ToString(),
            DisclosureProfile = profile.Name,
            SchemaVersion = SchemaVersions.Current,
        };
        var composed = new ComposedMessage
        {
            Header = header,
            Minimised = minimised,
            ConsentId = consentId,
            // The written justification of VitalInterests; for LegalObligation the provision that obliges.
            Justification = legalBasis switch
            {
                LegalBases.VitalInterests => request.Justification,
                LegalBases.LegalObligation => reference,
                _ => null,
            },
        };
        if (!seal)
        {
            return composed;
        }

        // Serialised once: these bytes are what is signed and what the node keeps as its copy.
        var payload = JsonSerializer.SerializeToUtf8Bytes(new EnvelopePayload { Header = header, Body = JsonSerializer.SerializeToElement(minimised.Body, GatewayJson.Options) }, GatewayJson.Options);
        return composed with
        {
            Envelope = sealer.Seal(payload, identity.Signing, recipient.CurrentEncryptionCertificate(now)),
            Payload = payload,
        };
    }

    /// <summary>The body says the person is a child: the child block, a birth date under 18, or a child's age band.</summary>
    internal static bool IsMinor(JsonElement body, DateTimeOffset now)
    {
        if (body.TryGetProperty("child", out var child) && child.ValueKind == JsonValueKind.Object
            && child.TryGetProperty("minor", out var minor) && minor.ValueKind == JsonValueKind.True)
        {
            return true;
        }

        if (body.TryGetProperty("prs_Birthdate", out var birthdate) && birthdate.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(birthdate.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
            && FieldTransforms.AgeAt(born, now) < 18)
        {
            return true;
        }

        return body.TryGetProperty("prs_AgeBand", out var band) && band.GetString() is "0-5" or "6-11" or "12-15" or "16-17";
    }
}
