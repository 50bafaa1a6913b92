using Gateway.Contracts.Messages;
using Gateway.Crypto.Peers;
using Gateway.Service.Consent;
using Gateway.Service.Referrals;

namespace Gateway.Service.Delivery;

/// <summary>
/// The consent check again, right before a delivery attempt (DESIGN §6): a consent withdrawn or expired since the
/// caseworker submitted, or a legal obligation no longer configured, cancels the message instead of sending it.
/// </summary>
public sealed class LegalBasisRecheck(ConsentStore store, ConsentGate gate)
{
    /// <summary>Null when the message may still leave; otherwise the code it is cancelled with.</summary>
    public async Task<string?> CheckAsync(OutboundMessage message, TrustedPeer recipient, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var categories = message.DisclosedFields
            .Select(path => FieldCatalogue.Find(message.MessageType, path)?.Category)
            .Where(category => category is { } known && DataCategories.IsAboutSubject(known))
            .Select(category => category!.Value)
            .ToHashSet();
        if (categories.Count == 0 && message.LegalBasis is null)
        {
            return null; // Nothing about the person: no legal basis of the subject is needed.
        }

        var consent = message.ConsentId is { } id ? await store.GetAsync(id, cancellationToken) : null;
        var decision = gate.Evaluate(message.LegalBasis, consent, message.Justification, recipient, message.Purpose, subjectIsMinor: false, now,
            justificationRecorded: message.JustificationSha256 is not null);
        if (!decision.Allowed)
        {
            return decision.Code;
        }

        return categories.All(decision.Covered.Contains) ? null : ConsentCodes.ConsentInvalid;
    }
}
