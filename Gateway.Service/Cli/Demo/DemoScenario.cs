using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Consent;
using Gateway.Service.Inbox;
using Gateway.Service.Referrals;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// The demo's story, through each node's internal API only: EE-SKA records a consent, consults FI-NRM anonymously,
/// previews and sends one referral to FI-NRM and the shelter, both answer, the person withdraws consent, both erase
/// and confirm, and their inboxes then answer 410. Progress lines carry ids, nodes, types and field names only.
/// </summary>
internal sealed class DemoScenario(DemoFederation nodes, TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public async Task<DemoTranscript> RunAsync(CancellationToken cancellationToken)
    {
        var transcript = new DemoTranscript();
        try
        {
            await RunStepsAsync(transcript, cancellationToken);
        }
        catch (DemoStepException exception)
        {
            transcript.Fail($"the scenario stopped: {exception.Message}");
            output.WriteLine($"   stopped: {exception.Message}");
        }

        return transcript;
    }

    private async Task RunStepsAsync(DemoTranscript transcript, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // One case: the consent is recorded in it and the referrals go out in its conversation.
        var conversation = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var (consentId, subjectRef) = await RecordConsentAsync(transcript, conversation, now, cancellationToken);
        var consultation = await ConsultAsync(cancellationToken);
        var referrals = await ReferAsync(transcript, conversation, consentId, now, cancellationToken);
        var delivered = await SettleAsync(transcript, DemoNodes.Sender, [consultation, .. referrals.Values], cancellationToken);
        if (delivered.Find(message => !message.ReceiptVerified) is { } undelivered)
        {
            throw new DemoStepException($"{undelivered.MessageType} {undelivered.MessageId} to {undelivered.To} was not delivered ({undelivered.State}), so it cannot be answered");
        }

        await AnswerAsync(transcript, referrals, now, cancellationToken);
        await WithdrawAsync(transcript, consentId, referrals, cancellationToken);
        await OverseeAsync(transcript, conversation, subjectRef, cancellationToken);
    }

    private async Task<(Guid ConsentId, string SubjectRef)> RecordConsentAsync(DemoTranscript transcript, string conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recorded = await nodes[DemoNodes.Sender].RecordConsentAsync(SyntheticCase.Consent(now) with { ConversationId = conversation }, cancellationToken);
        transcript.Record(recorded);
        var scope = recorded.Consent.Scope;
        output.WriteLine($"1. Consent {recorded.Consent.ConsentId} recorded on {DemoNodes.Sender}: given by {recorded.Consent.GivenBy} (adult) for {string.Join(", ", scope.Recipients)}; "
            + $"purposes {string.Join(", ", scope.Purposes)}; categories {string.Join(", ", scope.Categories)}");
        return (recorded.Consent.ConsentId, recorded.Consent.SubjectRef);
    }

    private async Task<Guid> ConsultAsync(CancellationToken cancellationToken)
    {
        var request = new SendMessageRequest { Recipient = DemoNodes.ContactPoint, MessageType = MessageTypes.AnonymousConsultation, Body = SyntheticCase.Consultation() };
        RequireCatalogued(request.MessageType, request.Body);
        var sent = await nodes[DemoNodes.Sender].SendAsync(request, cancellationToken);
        output.WriteLine($"2. {MessageTypes.AnonymousConsultation} {sent.MessageId} {DemoNodes.Sender} → {DemoNodes.ContactPoint} sent without consent: it carries no personal data");
        return sent.MessageId;
    }

    /// <summary>The same referral to both recipients in one conversation, each previewed first; returns the message id per recipient.</summary>
    private async Task<Dictionary<string, Guid>> ReferAsync(DemoTranscript transcript, string conversation, Guid consentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = SyntheticCase.Referral(now);
        transcript.RecordReferralFields(BodyFields.Flatten(body).Select(field => field.Key));
        var referrals = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var recipient in DemoNodes.Recipients)
        {
            var request = new SendMessageRequest
            {
                Recipient = recipient,
                MessageType = MessageTypes.ReferralRequest,
                Body = body,
                ConversationId = conversation,
                Purpose = MessagePurposes.Assistance,
                LegalBasis = LegalBases.Consent,
                ConsentId = consentId,
            };
            RequireCatalogued(request.MessageType, request.Body);
            var preview = await nodes[DemoNodes.Sender].PreviewAsync(request, cancellationToken);
            transcript.Record(recipient, preview);
            var withheld = preview.Withheld.Count == 0 ? string.Empty : $": {string.Join(", ", preview.Withheld.Select(field => field.Path))}";
            output.WriteLine($"3. Preview {DemoNodes.Sender} → {recipient} ({preview.DisclosureProfile}): {preview.DisclosedFields.Count} fields disclosed, {preview.Withheld.Count} withheld{withheld}");
            var sent = await nodes[DemoNodes.Sender].SendAsync(request, cancellationToken);
            output.WriteLine($"   {MessageTypes.ReferralRequest} {sent.MessageId} {DemoNodes.Sender} → {recipient} sent under consent {consentId} in conversation {conversation}");
            referrals[recipient] = sent.MessageId;
        }

        return referrals;
    }

    /// <summary>FI-NRM acknowledges and accepts; the shelter accepts. Each answers the referral it found in its own inbox.</summary>
    private async Task AnswerAsync(DemoTranscript transcript, Dictionary<string, Guid> referrals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (string Node, string Type, JsonElement Body)[] answers =
        [
            (DemoNodes.ContactPoint, MessageTypes.ReferralAcknowledgement, SyntheticCase.Acknowledgement(now)),
            (DemoNodes.ContactPoint, MessageTypes.AdmissionDecision, SyntheticCase.Admission(now)),
            (DemoNodes.Shelter, MessageTypes.AdmissionDecision, SyntheticCase.Admission(now)),
        ];
        var sent = new List<(string Node, Guid MessageId)>();
        foreach (var (node, type, body) in answers)
        {
            var referral = referrals[node];
            if (await nodes[node].WaitForReceivedAsync(referral, Deadline, cancellationToken) is null)
            {
                throw new DemoStepException($"{MessageTypes.ReferralRequest} {referral} did not appear in the inbox of {node} within {Deadline.TotalSeconds:0} s");
            }

            var reply = new ReplyRequest { MessageType = type, Body = body };
            RequireCatalogued(type, body);
            var accepted = await nodes[node].ReplyAsync(referral, reply, cancellationToken);
            output.WriteLine($"4. {node} found {referral} in its inbox and answered with {type} {accepted.MessageId} → {DemoNodes.Sender}");
            sent.Add((node, accepted.MessageId));
        }

        foreach (var (node, messageId) in sent)
        {
            await SettleAsync(transcript, node, [messageId], cancellationToken);
        }
    }

    /// <summary>The person withdraws: each recipient erases the conversation, confirms, and its inbox then answers 410 for the referral.</summary>
    private async Task WithdrawAsync(DemoTranscript transcript, Guid consentId, Dictionary<string, Guid> referrals, CancellationToken cancellationToken)
    {
        var sender = nodes[DemoNodes.Sender];
        var withdrawn = await sender.WithdrawConsentAsync(consentId, ConsentGivenBy.Subject, cancellationToken);
        output.WriteLine($"5. Consent {consentId} withdrawn by {withdrawn.Consent.WithdrawnBy}: {MessageTypes.ConsentWithdrawn} to {string.Join(", ", withdrawn.Erasures.Select(erasure => erasure.PeerId))}");
        var confirmed = await sender.WaitForErasureConfirmationsAsync(consentId, DemoNodes.Recipients, Deadline, cancellationToken);
        transcript.Record(confirmed);
        var erasures = transcript.Consent!.Erasures;
        foreach (var erasure in erasures)
        {
            await SettleAsync(transcript, DemoNodes.Sender, [erasure.RequestMessageId], cancellationToken);
        }

        foreach (var erasure in erasures.Where(erasure => erasure.ConfirmationMessageId is not null))
        {
            await SettleAsync(transcript, erasure.Peer, [erasure.ConfirmationMessageId!.Value], cancellationToken);
            output.WriteLine($"   {erasure.Peer} erased the conversation and confirmed with {MessageTypes.ErasureConfirmed} {erasure.ConfirmationMessageId}");
        }

        foreach (var (peer, referral) in referrals)
        {
            var status = await nodes[peer].ReadReceivedStatusAsync(referral, cancellationToken);
            transcript.Add(new DemoErasureCheck(peer, referral, (int)status));
            output.WriteLine($"   GET /api/v1/inbox/{referral} on {peer}: {(int)status} {(status == HttpStatusCode.Gone ? "Gone (content erased)" : status.ToString())}");
        }
    }

    /// <summary>
    /// What the data protection officer of EE-SKA sees afterwards: who read the case's content (the previews), and the
    /// subject report — every disclosure by field names, its legal basis, and each partner's erasure confirmation.
    /// </summary>
    private async Task OverseeAsync(DemoTranscript transcript, string conversation, string subjectRef, CancellationToken cancellationToken)
    {
        var overseer = nodes.Oversight(DemoNodes.Sender);
        var reads = await overseer.CaseReadsAsync(conversation, cancellationToken);
        transcript.Record(reads);
        output.WriteLine($"6. Read audit of case {conversation} on {DemoNodes.Sender}, as its data protection officer sees it: {reads.Count} line(s)");
        foreach (var read in reads)
        {
            output.WriteLine($"   {read.At:HH:mm:ss} {read.Person,-22} {read.Action,-18} {(read.MessageId is { } id ? id.ToString() : "(preview)")}");
        }

        var report = await overseer.SubjectReportAsync(subjectRef, cancellationToken);
        transcript.Record(report);
        output.WriteLine($"7. Subject report (GDPR Art. 15/19) for the consent's pseudonymous subject: {report.Disclosures.Count} disclosure(s), field names only");
        foreach (var disclosure in report.Disclosures)
        {
            if (disclosure.MessageType == MessageTypes.ConsentWithdrawn)
            {
                output.WriteLine($"   {disclosure.Recipient,-18} {disclosure.MessageType,-22} {disclosure.DisclosedFields.Count,2} field(s): the withdrawal notice itself");
                continue;
            }

            var erasure = report.Erasures.FirstOrDefault(request => request.PeerId == disclosure.Recipient);
            var erased = erasure?.ConfirmedAt is { } at ? $"erasure confirmed {at:HH:mm:ss}" : "no erasure confirmed";
            output.WriteLine($"   {disclosure.Recipient,-18} {disclosure.MessageType,-22} {disclosure.DisclosedFields.Count,2} field(s) under {disclosure.LegalBasis ?? "no legal basis"}; {erased}");
        }
    }

    /// <summary>Waits for each message on its sender's API to settle and records it; returns what was recorded.</summary>
    private async Task<List<DemoMessage>> SettleAsync(DemoTranscript transcript, string from, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        var settled = new List<DemoMessage>();
        foreach (var messageId in messageIds)
        {
            var status = await nodes[from].WaitUntilSettledAsync(messageId, Deadline, cancellationToken);
            var message = new DemoMessage
            {
                MessageId = status.MessageId,
                From = from,
                To = status.Recipient,
                MessageType = status.MessageType,
                ConversationId = status.ConversationId,
                State = status.State.ToString(),
                LastError = status.State == DeliveryState.Delivered ? null : status.LastError,
                ReceiptVerified = status is { State: DeliveryState.Delivered, Receipt: not null },
                DisclosureProfile = status.DisclosureProfile,
                DisclosedFields = status.DisclosedFields,
            };
            transcript.Add(message);
            settled.Add(message);
        }

        return settled;
    }

    private static void RequireCatalogued(string messageType, JsonElement body)
    {
        if (CatalogueCheck.Problems(messageType, body) is { Count: > 0 } problems)
        {
            throw new DemoStepException($"the demo's {messageType} body does not match the field catalogue: {string.Join("; ", problems)}");
        }
    }
}
