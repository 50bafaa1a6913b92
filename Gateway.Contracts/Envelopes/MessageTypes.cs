namespace Gateway.Contracts.Envelopes;

/// <summary>The message types of DESIGN §5, spelled as they appear in <see cref="EnvelopeHeader.MessageType"/>.</summary>
public static class MessageTypes
{
    public const string AnonymousConsultation = nameof(AnonymousConsultation);
    public const string ReferralRequest = nameof(ReferralRequest);
    public const string ReferralAcknowledgement = nameof(ReferralAcknowledgement);
    public const string AdmissionDecision = nameof(AdmissionDecision);
    public const string StatusUpdate = nameof(StatusUpdate);
    public const string ConsentWithdrawn = nameof(ConsentWithdrawn);
    public const string ErasureConfirmed = nameof(ErasureConfirmed);
    public const string CaseClosed = nameof(CaseClosed);

    public static IReadOnlyList<string> All { get; } =
    [
        AnonymousConsultation, ReferralRequest, ReferralAcknowledgement, AdmissionDecision,
        StatusUpdate, ConsentWithdrawn, ErasureConfirmed, CaseClosed,
    ];

    public static bool IsKnown(string messageType) => All.Contains(messageType, StringComparer.Ordinal);
}
