using System.Text;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;

namespace Gateway.Bench.Crypto;

/// <summary>
/// An AnonymousConsultation whose question is filled with made-up prose until the signed payload JSON has the size
/// asked for; no real person is described, and the text holds no digits, dates or addresses.
/// </summary>
internal static class SyntheticPayload
{
    private const string Prose = "Synthetic benchmark question about shelter capacity, interpreters and safe transport for an adult. ";

    public static EnvelopePayload Consultation(int payloadBytes)
    {
        var empty = Json(Build(string.Empty)).Length;
        if (payloadBytes < empty)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadBytes), $"a consultation payload is at least {empty} bytes");
        }

        return Build(Filler(payloadBytes - empty));
    }

    /// <summary>ASCII prose of exactly <paramref name="length"/> characters (one byte each in UTF-8 JSON).</summary>
    public static string Filler(int length)
    {
        var text = new StringBuilder(length + Prose.Length);
        while (text.Length < length)
        {
            text.Append(Prose);
        }

        return text.ToString(0, length);
    }

    public static byte[] Json(EnvelopePayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, GatewayJson.Options);

    private static EnvelopePayload Build(string question) => new()
    {
        Header = new EnvelopeHeader
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = MessageTypes.AnonymousConsultation,
            From = CryptoFederation.Sender,
            To = CryptoFederation.Receiver,
            CreatedAt = DateTimeOffset.UtcNow,
            ConversationId = "conv-bench-0001",
            Purpose = "Consultation",
            DisclosureProfile = "consultation",
            SchemaVersion = SchemaVersions.Current,
        },
        Body = JsonSerializer.SerializeToElement(new { topic = "Accommodation", question }),
    };
}
