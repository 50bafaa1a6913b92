using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Persistence;
using Gateway.Service.Keys;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>The database, not the broker, is the source of truth: a broker message that vanished only delays delivery.</summary>
[Trait("Category", "Peering")]
public sealed class OutboxLeaseTests
{
    [Fact]
    public async Task A_message_whose_broker_copy_was_lost_is_published_again_when_its_lease_expires_and_delivered()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var senderOptions = federation.OptionsFor("EE-SKA");
        senderOptions.Outbox.OutboxLease = TimeSpan.FromSeconds(2);
        var sender = await federation.StartAsync(senderOptions);
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        // Store a message as the API would, due a little later, and take its outbox lease as a relay would that
        // published it to a broker which then lost the message.
        var now = DateTimeOffset.UtcNow;
        var due = now.AddMilliseconds(500);
        var messageId = Guid.CreateVersion7(now);
        var envelope = new EnvelopeSealer(TimeProvider.System).Seal(
            new EnvelopePayload
            {
                Header = new EnvelopeHeader
                {
                    MessageId = messageId, MessageType = MessageTypes.AnonymousConsultation, From = "EE-SKA", To = "FI-NRM",
                    CreatedAt = now, ConversationId = "synthetic-lease-case", SchemaVersion = SchemaVersions.Current,
                    Purpose = "Consultation", DisclosureProfile = "consultation",
                },
                Body = System.Text.Json.JsonSerializer.SerializeToElement(new { topic = "Other", question = "SYNTHETIC" }),
            },
            sender.Identity.Signing,
            sender.Identity.Peers.Find("FI-NRM")!.CurrentEncryptionCertificate(now));
        await sender.Stores.AddOutboundAsync(
            new OutboundMessage
            {
                MessageId = messageId, PeerId = "FI-NRM", MessageType = MessageTypes.AnonymousConsultation, ConversationId = "synthetic-lease-case",
                Envelope = await sender.Stores.Keys.SealAsync("synthetic-lease-case", envelope, SealedPurpose.SentEnvelope, messageId, CancellationToken.None),
                State = DeliveryState.Queued, CreatedAt = now, ExpiresAt = now.AddHours(1), NextAttemptAt = due,
                Purpose = "Consultation", DisclosureProfile = "consultation", DisclosedFields = ["question", "topic"], SubmittedBy = "test",
            },
            CancellationToken.None);
        var stolen = await sender.Stores.Outbox.LeaseDueIdsAsync(due, TimeSpan.FromSeconds(2), 10, CancellationToken.None);
        Assert.Equal([messageId], stolen);

        var status = await sender.WaitForStateAsync(messageId, DeliveryState.Delivered, TimeSpan.FromSeconds(30));

        Assert.Equal(DeliveryState.Delivered, status.State);
        Assert.True(status.DeliveredAt >= due.AddSeconds(2), "delivered only after the stolen lease expired");
        Assert.NotNull(await receiver.Stores.Inbox.GetAsync(messageId, CancellationToken.None));
    }
}
