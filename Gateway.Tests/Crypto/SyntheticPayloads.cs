using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;

namespace Gateway.Tests.Crypto;

/// <summary>Envelope payloads with made-up content: no real person is described anywhere in these tests.</summary>
internal static class SyntheticPayloads
{
    public static EnvelopePayload Consultation(string from, string to, string messageType = MessageTypes.AnonymousConsultation) => new()
    {
        Header = new EnvelopeHeader
        {
            MessageId = Guid.NewGuid(),
            MessageType = messageType,
            From = from,
            To = to,
            CreatedAt = new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero),
            ConversationId = "conv-synthetic-0001",
            Purpose = "Consultation",
            DisclosureProfile = "consultation",
            SchemaVersion = SchemaVersions.Current,
        },
        Body = JsonSerializer.SerializeToElement(new
        {
            topic = "Accommodation",
            question = "Synthetic test question: which shelter places are free next week?",
        }),
    };

    public static byte[] Json(EnvelopePayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, GatewayJson.Options);
}
