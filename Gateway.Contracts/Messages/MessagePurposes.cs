using Gateway.Contracts.Envelopes;

namespace Gateway.Contracts.Messages;

/// <summary>Why data is sent (the header's <c>purpose</c>): a consent and a disclosure profile are given for purposes.</summary>
public static class MessagePurposes
{
    /// <summary>Refer the person to the partner's assistance and protection.</summary>
    public const string Assistance = nameof(Assistance);

    /// <summary>Ask a partner for advice without personal data.</summary>
    public const string Consultation = nameof(Consultation);

    /// <summary>Answers within a case: acknowledgement, decision, status, closure.</summary>
    public const string CaseCoordination = nameof(CaseCoordination);

    /// <summary>Withdrawal of consent and the confirmation of erasure.</summary>
    public const string Erasure = nameof(Erasure);

    /// <summary>Criminal proceedings: only under law enforcement's own legal basis.</summary>
    public const string CriminalProceedings = nameof(CriminalProceedings);

    public static IReadOnlyList<string> All { get; } = [Assistance, Consultation, CaseCoordination, Erasure, CriminalProceedings];

    /// <summary>The purposes a message type may be sent for; the first is the default.</summary>
    public static IReadOnlyList<string> AllowedFor(string messageType) => messageType switch
    {
        MessageTypes.AnonymousConsultation => [Consultation],
        MessageTypes.ReferralRequest => [Assistance, CriminalProceedings],
        MessageTypes.ReferralAcknowledgement or MessageTypes.AdmissionDecision or MessageTypes.StatusUpdate or MessageTypes.CaseClosed => [CaseCoordination],
        MessageTypes.ConsentWithdrawn or MessageTypes.ErasureConfirmed => [Erasure],
        _ => [],
    };
}
