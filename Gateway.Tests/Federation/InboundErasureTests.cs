using System.Net;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Inbox;

namespace Gateway.Tests.Federation;

/// <summary>
/// The receiving end of a withdrawal (DESIGN §6), driven by hand-sealed envelopes from EE-SKA to a running FI-NRM: a
/// ConsentWithdrawn erases what that sender sent in the conversation, and a message of that conversation that lands
/// afterwards (it was on the wire during the withdrawal) is erased on arrival.
/// </summary>
[Trait("Category", "Peering")]
public sealed class InboundErasureTests(PeerEndpointFixture node) : IClassFixture<PeerEndpointFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConsentWithdrawn_erases_the_conversations_content_and_keeps_its_metadata()
    {
        var conversation = "synthetic-" + Guid.NewGuid().ToString("N");
        var referral = Referral(conversation);
        await AcceptAsync(referral);

        await AcceptAsync(Withdrawal(conversation));

        var stored = await WaitForErasureAsync(referral.Header.MessageId);
        Assert.Equal("CONSENT_WITHDRAWN", stored.ErasureReason);
        Assert.Equal(conversation, stored.ConversationId);
        Assert.NotEmpty(stored.Receipt);
    }

    [Fact]
    public async Task A_referral_landing_after_the_withdrawal_of_its_conversation_is_erased_on_arrival()
    {
        var conversation = "synthetic-" + Guid.NewGuid().ToString("N");
        await AcceptAsync(Referral(conversation));
        var withdrawal = Withdrawal(conversation);
        await AcceptAsync(withdrawal);
        await WaitForProcessedAsync(withdrawal.Header.MessageId);

        var late = Referral(conversation);
        await AcceptAsync(late);

        var stored = await WaitForErasureAsync(late.Header.MessageId);
        Assert.Equal("ARRIVED_AFTER_ERASURE", stored.ErasureReason); // its case was erased: only the metadata is kept
    }

    [Fact]
    public async Task A_withdrawal_in_one_conversation_leaves_another_conversation_alone()
    {
        var kept = Referral("synthetic-" + Guid.NewGuid().ToString("N"));
        await AcceptAsync(kept);
        var other = "synthetic-" + Guid.NewGuid().ToString("N");
        await AcceptAsync(Referral(other));
        var withdrawal = Withdrawal(other);
        await AcceptAsync(withdrawal);
        await WaitForProcessedAsync(withdrawal.Header.MessageId);

        Assert.NotNull(await node.Node.Stores.ReceivedEnvelopeAsync(kept.Header.MessageId, CancellationToken.None));
    }

    private static EnvelopePayload Referral(string conversation)
    {
        var payload = PeerEndpointFixture.PayloadFrom(PeerEndpointFixture.Estonia);
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

    private static EnvelopePayload Withdrawal(string conversation)
    {
        var payload = PeerEndpointFixture.PayloadFrom(PeerEndpointFixture.Estonia);
        return payload with
        {
            Header = payload.Header with { MessageType = MessageTypes.ConsentWithdrawn, ConversationId = conversation, Purpose = "Erasure", DisclosureProfile = "erasure" },
            Body = JsonSerializer.SerializeToElement(new { withdrawnAt = DateTimeOffset.UtcNow, erasureRequested = true }),
        };
    }

    private async Task AcceptAsync(EnvelopePayload payload)
    {
        using var client = node.ClientWith(node.RegisteredTlsCertificateOf(PeerEndpointFixture.Estonia));
        using var response = await client.SendAsync(PeerEndpointFixture.EnvelopeRequest(node.Seal(payload, PeerEndpointFixture.Estonia), payload.Header));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<InboundMessage> WaitForErasureAsync(Guid messageId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stored = await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None);
        while (stored?.Envelope is not null && clock.Elapsed < Deadline)
        {
            await Task.Delay(50);
            stored = await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None);
        }

        Assert.NotNull(stored);
        Assert.Null(stored.Envelope);
        return stored;
    }

    private async Task WaitForProcessedAsync(Guid messageId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None))?.ProcessedAt is null && clock.Elapsed < Deadline)
        {
            await Task.Delay(50);
        }

        Assert.NotNull((await node.Node.Stores.Inbox.GetAsync(messageId, CancellationToken.None))?.ProcessedAt);
    }
}
