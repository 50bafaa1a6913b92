using System.Data.Common;
using System.Security.Cryptography.X509Certificates;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Receipts;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Receipts;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Inbox;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Peering;

/// <summary>
/// The receiving side of <c>POST /peer/v1/envelopes</c> (DESIGN §4): who is calling, is it for us, does it
/// open, is the signer the caller, do the routing headers match, is it fresh and new — then store it as received
/// and sign a receipt. Nothing is stored for a refused envelope.
/// </summary>
internal sealed partial class InboundEnvelopeReceiver(
    NodeIdentity identity,
    InboxStore store,
    CaseStore cases,
    CaseKeys keys,
    ConversationBinding binding,
    PeopleDirectory people,
    Database database,
    CertificateValidator validator,
    ReceiptSigner receiptSigner,
    InboundContentCheck contentCheck,
    InboxSignal inboxSignal,
    AuditLog audit,
    TimeProvider time,
    IOptions<PeerEndpointOptions> options,
    ILogger<InboundEnvelopeReceiver> logger)
{
    private readonly EnvelopeOpener _opener = new(identity.DecryptionKeys, identity.Peers, validator);

    public async Task<InboundResult> ReceiveAsync(X509Certificate2? clientCertificate, RoutingValues routing, byte[] envelope, CancellationToken cancellationToken)
    {
        if (clientCertificate is null)
        {
            return Reject(403, PeerProtocolCodes.ClientCertificateRequired, "a client certificate is required", routing);
        }

        string caller;
        try
        {
            caller = identity.Peers.Authenticate(clientCertificate, CertificateRole.Tls, validator).Peer.Id;
        }
        catch (EnvelopeException exception)
        {
            var code = exception.Code switch
            {
                EnvelopeErrorCodes.UnknownSigner => PeerProtocolCodes.UnknownPeer,
                EnvelopeErrorCodes.SignerNotPinned => PeerProtocolCodes.PeerNotPinned,
                var other => other,
            };
            return Reject(403, code, $"the TLS client certificate is not accepted: {exception.Message}", routing);
        }

        if (routing.From != caller)
        {
            return Reject(403, PeerProtocolCodes.SignerNotTlsPeer, $"{RoutingHeaders.From} is not the TLS client ({caller})", routing);
        }

        if (routing.To != identity.NodeId)
        {
            return Reject(422, EnvelopeErrorCodes.NotForThisNode, $"{RoutingHeaders.To} is not this node ({identity.NodeId})", routing);
        }

        var digest = ReceiptSigner.EnvelopeDigest(envelope);
        InboundMessage? existing;
        try
        {
            existing = await store.GetAsync(routing.MessageId, cancellationToken);
        }
        catch (DbException exception)
        {
            return Unavailable(exception, routing);
        }

        // The very bytes already accepted from this peer: they were verified then; answer with the original receipt.
        if (existing is not null && existing.EnvelopeSha256 == digest && existing.SenderId == caller)
        {
            return InboundResult.Accepted(existing.Receipt);
        }

        OpenedEnvelope opened;
        try
        {
            opened = _opener.Open(envelope, caller);
        }
        catch (EnvelopeException exception)
        {
            return Reject(StatusOf(exception.Code), exception.Code, exception.Message, routing);
        }

        var header = opened.Payload.Header;
        if (opened.Sender.Id != caller)
        {
            return Reject(403, PeerProtocolCodes.SignerNotTlsPeer, $"message {header.MessageId} is signed by {opened.Sender.Id} but delivered by {caller}", routing);
        }

        if (header.MessageId != routing.MessageId || header.From != routing.From || header.To != routing.To || header.MessageType != routing.MessageType)
        {
            return Reject(422, PeerProtocolCodes.RoutingMismatch, "the routing headers differ from the signed header", routing);
        }

        var now = time.GetUtcNow();
        if (header.CreatedAt < now - options.Value.FreshnessWindow || header.CreatedAt > now + options.Value.ClockSkew)
        {
            return Reject(422, PeerProtocolCodes.NotFresh, $"message {header.MessageId} was created at {header.CreatedAt:O}, outside the accepted window", routing);
        }

        if (existing is not null)
        {
            return Reject(409, PeerProtocolCodes.Replayed, $"message {header.MessageId} was already received with different content", routing);
        }

        // The conversation id lands in the audit log, which is never erased: a name must not fit in it.
        if (!CaseIds.IsValid(header.ConversationId))
        {
            var invalid = new GatewayProblem(422, PeerProtocolCodes.ConversationIdInvalid, $"message {header.MessageId}: conversationId must be {CaseIds.Rule}");
            LogRejected(logger, routing.MessageId, routing.From, invalid.Status, invalid.Code);
            await audit.RecordAsync(caller, AuditActions.EnvelopeRefused, header.MessageId, caller, detail: new { invalid.Code }, cancellationToken: cancellationToken);
            return InboundResult.Rejected(invalid);
        }

        // Minimisation at this end too, and the partner only in conversations it shares: nothing else is stored.
        CaseRecord? @case;
        try
        {
            @case = await cases.GetAsync(header.ConversationId, cancellationToken);
        }
        catch (DbException exception)
        {
            return Unavailable(exception, routing);
        }

        if ((contentCheck.Check(header, opened.Payload.Body, opened.Sender) ?? await binding.CheckAsync(header, caller, @case, cancellationToken)) is { } refused)
        {
            LogRejected(logger, routing.MessageId, routing.From, refused.Status, refused.Code);
            await audit.RecordAsync(caller, AuditActions.EnvelopeRefused, header.MessageId, caller, header.ConversationId, new { refused.Code }, cancellationToken);
            return InboundResult.Rejected(refused);
        }

        var receipt = receiptSigner.Sign(
            new Receipt
            {
                MessageId = header.MessageId,
                EnvelopeSha256 = digest,
                ReceivedAt = now,
                Receiver = identity.NodeId,
                Sender = caller,
                Status = ReceiptStatus.Accepted,
            },
            identity.Signing);
        try
        {
            // Kept sealed under the case's data key (DESIGN §15); a case already erased here keeps the metadata only.
            var erased = @case?.ErasedAt is not null;
            var sealedEnvelope = erased ? null : await keys.SealAsync(header.ConversationId, envelope, SealedPurpose.ReceivedEnvelope, header.MessageId, cancellationToken);

            // The audit line and the case commit with the envelope, and only if the envelope is new (the insert is the unit's guard).
            var stored = await database.CommitAsync(
                new UnitOfWork(InboxStore.Insert(new InboundMessage
                {
                    MessageId = header.MessageId,
                    SenderId = caller,
                    MessageType = header.MessageType,
                    ConversationId = header.ConversationId,
                    InReplyTo = header.InReplyTo,
                    Purpose = header.Purpose,
                    LegalBasis = header.LegalBasis,
                    DisclosureProfile = header.DisclosureProfile,
                    CreatedAt = header.CreatedAt,
                    Envelope = sealedEnvelope,
                    EnvelopeSha256 = digest,
                    Receipt = receipt,
                    ReceivedAt = now,
                    ContentErasedAt = erased ? now : null,
                    ErasureReason = erased ? ErasureReasons.ArrivedAfterErasure : null,
                }))
                .Add(CaseStore.Open(header.ConversationId, people.IntakeUnit, caller, caller, now))
                .Attach(audit.Line(caller, AuditActions.MessageReceived, header.MessageId, caller, header.ConversationId,
                    new { header.MessageType, header.Purpose, header.LegalBasis, header.DisclosureProfile, Fields = BodyFields.Flatten(opened.Payload.Body).Select(field => field.Key), Erased = erased })),
                cancellationToken);
            if (!stored)
            {
                // A concurrent delivery of the same id won the insert: answer as if it had come first.
                var winner = await store.GetAsync(header.MessageId, cancellationToken);
                return winner is not null && winner.EnvelopeSha256 == digest
                    ? InboundResult.Accepted(winner.Receipt)
                    : Reject(409, PeerProtocolCodes.Replayed, $"message {header.MessageId} was already received with different content", routing);
            }
        }
        catch (DbException exception)
        {
            return Unavailable(exception, routing);
        }

        foreach (var warning in opened.Warnings)
        {
            LogCertificateWarning(logger, header.MessageId, caller, warning);
        }

        LogAccepted(logger, header.MessageId, caller, header.MessageType);
        inboxSignal.Notify();
        return InboundResult.Accepted(receipt);
    }

    /// <summary>Malformed → 400; who signed it is not acceptable → 403; it does not decrypt, verify or parse → 422.</summary>
    internal static int StatusOf(string code) => code switch
    {
        EnvelopeErrorCodes.Malformed => 400,
        EnvelopeErrorCodes.UnknownSigner or EnvelopeErrorCodes.SignerNotPinned or EnvelopeErrorCodes.SignerMismatch
            or EnvelopeErrorCodes.CertificateExpired or EnvelopeErrorCodes.CertificateNotYetValid or EnvelopeErrorCodes.CertificateRevoked or EnvelopeErrorCodes.RevocationUnknown
            or EnvelopeErrorCodes.ChainInvalid or EnvelopeErrorCodes.KeyUsageInvalid => 403,
        _ => 422,
    };

    private InboundResult Reject(int status, string code, string detail, RoutingValues routing)
    {
        // The audit line of a refused envelope: ids and the code only.
        LogRejected(logger, routing.MessageId, routing.From, status, code);
        return InboundResult.Rejected(new GatewayProblem(status, code, detail));
    }

    private InboundResult Unavailable(DbException exception, RoutingValues routing)
    {
        LogStoreUnavailable(logger, exception, routing.MessageId);
        return InboundResult.Rejected(new GatewayProblem(503, PeerProtocolCodes.StoreUnavailable, "the node cannot store envelopes right now; retry later"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted message {MessageId} from {PeerId} ({MessageType})")]
    private static partial void LogAccepted(ILogger logger, Guid messageId, string peerId, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused message {MessageId} from {PeerId}: {Status} {Code}")]
    private static partial void LogRejected(ILogger logger, Guid messageId, string peerId, int status, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store message {MessageId}; answered 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} from {PeerId}: certificate warning {Warning}")]
    private static partial void LogCertificateWarning(ILogger logger, Guid messageId, string peerId, string warning);
}
