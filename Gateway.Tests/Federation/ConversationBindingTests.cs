using System.Net;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Audit;
using static Gateway.Tests.Federation.PeerEndpointFixture;

namespace Gateway.Tests.Federation;

/// <summary>
/// A partner speaks only in the conversations it shares with this node (DESIGN §14), and the conversation id is a
/// pseudonym because it lands in the audit log, which is never erased (§15). Hand-sealed envelopes from EE-SKA and the
/// shelter to a running FI-NRM; every refusal stores nothing.
/// </summary>
[Trait("Category", "Peering")]
public sealed class ConversationBindingTests(PeerEndpointFixture node) : IClassFixture<PeerEndpointFixture>
{
    [Fact]
    public async Task An_admission_decision_in_a_conversation_never_shared_with_that_partner_is_refused_with_CONVERSATION_NOT_SHARED()
    {
        var decision = Decision(Estonia, NewConversation());

        await AssertRefusedAsync(decision, Estonia, "CONVERSATION_NOT_SHARED");
    }

    [Fact]
    public async Task A_partner_cannot_answer_in_a_conversation_this_node_shares_with_another_partner()
    {
        var conversation = NewConversation();
        await AcceptAsync(Referral(Estonia, conversation), Estonia);

        await AssertRefusedAsync(Decision(Shelter, conversation), Shelter, "CONVERSATION_NOT_SHARED");
        await AssertRefusedAsync(Withdrawal(Shelter, conversation), Shelter, "CONVERSATION_NOT_SHARED");
    }

    [Fact]
    public async Task A_new_referral_cannot_enter_a_conversation_this_node_shares_with_another_partner()
    {
        var conversation = NewConversation();
        await AcceptAsync(Referral(Estonia, conversation), Estonia);

        await AssertRefusedAsync(Referral(Shelter, conversation), Shelter, "CONVERSATION_NOT_SHARED");
    }

    [Fact]
    public async Task An_answer_whose_inReplyTo_names_a_message_of_another_partner_is_refused_with_IN_REPLY_TO_UNKNOWN()
    {
        var shared = NewConversation();
        await AcceptAsync(Referral(Shelter, shared), Shelter);
        var estonian = NewConversation();
        var estonianReferral = Referral(Estonia, estonian);
        await AcceptAsync(estonianReferral, Estonia);

        var decision = Decision(Shelter, shared);
        var answer = decision with { Header = decision.Header with { InReplyTo = estonianReferral.Header.MessageId } };

        await AssertRefusedAsync(answer, Shelter, "IN_REPLY_TO_UNKNOWN");
    }

    [Fact]
    public async Task A_partner_answers_in_a_conversation_it_shares_naming_its_own_message()
    {
        var conversation = NewConversation();
        var referral = Referral(Estonia, conversation);
        await AcceptAsync(referral, Estonia);
        var decision = Decision(Estonia, conversation);

        await AcceptAsync(decision with { Header = decision.Header with { InReplyTo = referral.Header.MessageId } }, Estonia);

        Assert.NotNull(await node.Node.Stores.Inbox.GetAsync(decision.Header.MessageId, CancellationToken.None));
    }

    [Theory]
    [InlineData("Anna Tamm born 1999-04-01")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("synthetic_case_1")]
    public async Task A_conversation_id_that_is_not_a_pseudonym_is_refused_with_CONVERSATION_ID_INVALID_and_never_reaches_the_audit_log(string conversation)
    {
        var referral = Referral(Estonia, conversation);

        var problem = await AssertRefusedAsync(referral, Estonia, "CONVERSATION_ID_INVALID");

        Assert.DoesNotContain(conversation, problem, StringComparison.Ordinal);
        var lines = await node.Node.Stores.Audit.ListAsync(AuditActions.EnvelopeRefused, 10_000, CancellationToken.None);
        var line = Assert.Single(lines, entry => entry.MessageId == referral.Header.MessageId);
        Assert.Null(line.ConversationId);
        Assert.DoesNotContain(lines, entry => entry.Detail?.Contains(conversation, StringComparison.Ordinal) == true || entry.ConversationId == conversation);
    }

    private static string NewConversation() => "synthetic-" + Guid.NewGuid().ToString("N");

    private static EnvelopePayload Referral(string from, string conversation)
    {
        var payload = PayloadFrom(from);
        return payload with
        {
            Header = payload.Header with
            {
                MessageType = MessageTypes.ReferralRequest, ConversationId = conversation, Purpose = "Assistance",
                LegalBasis = "Consent", ConsentRef = Guid.NewGuid().ToString(), DisclosureProfile = "contact-point",
            },
            Body = JsonSerializer.SerializeToElement(new { prs_FirstName = "SYNTHETIC-Anna", cas_OutgoingReferralDate = "2030-03-01" }),
        };
    }

    private static EnvelopePayload Decision(string from, string conversation)
    {
        var payload = PayloadFrom(from);
        return payload with
        {
            Header = payload.Header with { MessageType = MessageTypes.AdmissionDecision, ConversationId = conversation, Purpose = "CaseCoordination", DisclosureProfile = "case-coordination" },
            Body = JsonSerializer.SerializeToElement(new { decision = "Accepted", reasonCode = "EligibleForAssistance" }),
        };
    }

    private static EnvelopePayload Withdrawal(string from, string conversation)
    {
        var payload = PayloadFrom(from);
        return payload with
        {
            Header = payload.Header with { MessageType = MessageTypes.ConsentWithdrawn, ConversationId = conversation, Purpose = "Erasure", DisclosureProfile = "erasure" },
            Body = JsonSerializer.SerializeToElement(new { withdrawnAt = DateTimeOffset.UtcNow, erasureRequested = true }),
        };
    }

    private async Task AcceptAsync(EnvelopePayload payload, string from)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(from));
        using var response = await client.SendAsync(EnvelopeRequest(node.Seal(payload, from), payload.Header));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<string> AssertRefusedAsync(EnvelopePayload payload, string from, string code)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(from));
        using var response = await client.SendAsync(EnvelopeRequest(node.Seal(payload, from), payload.Header));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.Null(await node.Node.Stores.Inbox.GetAsync(payload.Header.MessageId, CancellationToken.None));
        return text;
    }
}
