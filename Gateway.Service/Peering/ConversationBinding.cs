using Gateway.Contracts.Envelopes;
using Gateway.Service.Cases;
using Gateway.Service.Node;

namespace Gateway.Service.Peering;

/// <summary>
/// A partner speaks only in the conversations it shares with this node (DESIGN §14): an answer — a reply, an
/// acknowledgement, a decision, a status, a closure, a withdrawal or a confirmation — only in a case this node already
/// exchanged messages with that partner in, and <c>inReplyTo</c> only a message exchanged with it. A new referral or
/// consultation may open a case, but not enter another partner's.
/// </summary>
internal sealed class ConversationBinding(CaseStore cases)
{
    private static readonly HashSet<string> OpeningTypes = [MessageTypes.ReferralRequest, MessageTypes.AnonymousConsultation];

    /// <summary>Null when the message may be stored in its conversation; otherwise why not (nothing is stored).</summary>
    public async Task<GatewayProblem?> CheckAsync(EnvelopeHeader header, string peerId, CaseRecord? existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(header);
        var shared = existing is not null && await cases.IsSharedWithAsync(header.ConversationId, peerId, cancellationToken);
        var opening = OpeningTypes.Contains(header.MessageType) && header.InReplyTo is null;
        if (!shared && !(opening && existing is null))
        {
            return new GatewayProblem(422, PeerProtocolCodes.ConversationNotShared,
                $"message {header.MessageId}: its conversation is not one this node shares with {peerId}");
        }

        if (header.InReplyTo is { } replyTo && !await cases.WasExchangedWithAsync(replyTo, header.ConversationId, peerId, cancellationToken))
        {
            return new GatewayProblem(422, PeerProtocolCodes.InReplyToUnknown,
                $"message {header.MessageId} answers a message this node did not exchange with {peerId} in that conversation");
        }

        return null;
    }
}
