using System.Text.Json;
using Gateway.Bench.Crypto;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// The body of <c>POST /api/v1/referrals</c>: an AnonymousConsultation (no personal data, so no consent needed) whose
/// question is made-up prose of nearly the schema's 4,000-character limit, which makes an envelope of about 5 KiB.
/// </summary>
internal static class ConsultationRequest
{
    public const int QuestionLength = 3990;

    public static byte[] Body(string recipient) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        recipient,
        messageType = "AnonymousConsultation",
        body = new { topic = "Accommodation", question = SyntheticPayload.Filler(QuestionLength) },
    });
}
