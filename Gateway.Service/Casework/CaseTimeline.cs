using Gateway.Service.Cases;
using Gateway.Service.Consent;
using Gateway.Service.Inbox;
using Gateway.Service.Referrals;

namespace Gateway.Service.Casework;

/// <summary>Assembles a case's view from the features that hold its parts.</summary>
public sealed class CaseTimeline(CaseStore cases, ConsentStore consents, SentMessageStore sent, InboxStore inbox)
{
    public async Task<CaseView?> ViewAsync(string caseId, CancellationToken cancellationToken)
    {
        if (await cases.GetAsync(caseId, cancellationToken) is not { } @case)
        {
            return null;
        }

        var caseConsents = await consents.ListForCaseAsync(caseId, cancellationToken);
        var erasures = new List<ErasureRequest>();
        foreach (var consent in caseConsents)
        {
            erasures.AddRange(await consents.ListErasureRequestsAsync(consent.ConsentId, outstandingOnly: false, cancellationToken));
        }

        var timeline = (await sent.ListForCaseAsync(caseId, cancellationToken)).Select(message => new CaseMessage
        {
            MessageId = message.MessageId,
            Direction = "sent",
            MessageType = message.MessageType,
            Peer = message.PeerId,
            At = message.CreatedAt,
            InReplyTo = message.InReplyTo,
            State = message.State,
            ReceiptVerified = message.State == DeliveryState.Delivered && message.Receipt is not null,
            LegalBasis = message.LegalBasis,
            ConsentId = message.ConsentId,
            DisclosedFields = message.DisclosedFields,
            ContentErasedAt = message.ContentErasedAt,
        }).Concat((await inbox.ListForCaseAsync(caseId, cancellationToken)).Select(message => new CaseMessage
        {
            MessageId = message.MessageId,
            Direction = "received",
            MessageType = message.MessageType,
            Peer = message.SenderId,
            At = message.ReceivedAt,
            InReplyTo = message.InReplyTo,
            ReceiptVerified = true,
            LegalBasis = message.LegalBasis,
            ContentErasedAt = message.ContentErasedAt,
        })).OrderBy(message => message.At).ThenBy(message => message.MessageId).ToList();
        return new CaseView
        {
            Case = @case,
            Assignees = await cases.AssigneesAsync(caseId, cancellationToken),
            Consents = caseConsents,
            Timeline = timeline,
            Erasures = erasures,
        };
    }
}
