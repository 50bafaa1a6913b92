using Gateway.Contracts.Envelopes;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>Delivery between real hosts on SQLite and the in-memory transport: the embedded shape.</summary>
[Trait("Category", "Peering")]
public sealed class DeliveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_referral_is_delivered_with_a_verified_receipt_and_the_attempt_is_recorded()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        var accepted = await sender.ConsultAsync("FI-NRM");
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Delivered, status.State);
        Assert.NotNull(status.Receipt);
        var attempt = Assert.Single(status.Attempts);
        Assert.Equal(200, attempt.HttpStatus);
        var stored = await receiver.Stores.Inbox.GetAsync(accepted.MessageId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("EE-SKA", stored.SenderId);
        Assert.Equal(Convert.FromBase64String(status.Receipt), stored.Receipt);
    }

    [Fact]
    public async Task A_peer_that_is_down_leaves_the_message_RetryWaiting_and_it_is_delivered_once_the_peer_starts()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));

        var accepted = await sender.ConsultAsync("FI-NRM");
        var waiting = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.RetryWaiting, Deadline);
        Assert.Equal(DeliveryState.RetryWaiting, waiting.State);
        Assert.Equal("CONNECTION_FAILED", waiting.LastError);

        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var delivered = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(DeliveryState.Delivered, delivered.State);
        Assert.True(delivered.Attempts.Count >= 2);
        Assert.Equal(1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_peer_that_refuses_permanently_leaves_the_message_Failed_with_the_peers_code()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiverOptions = federation.OptionsFor("FI-NRM");
        receiverOptions.PeerEndpoint.MaxEnvelopeBytes = 512; // every envelope is larger: a 413 is the peer's final word
        await federation.StartAsync(receiverOptions);

        var accepted = await sender.ConsultAsync("FI-NRM");
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Failed, Deadline);

        Assert.Equal(DeliveryState.Failed, status.State);
        Assert.Equal("TOO_LARGE", status.LastError);
        Assert.Equal(413, Assert.Single(status.Attempts).HttpStatus);
    }

    [Fact]
    public async Task An_envelope_over_the_peers_size_limit_fails_with_TOO_LARGE_instead_of_retrying_a_broken_connection()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiverOptions = federation.OptionsFor("FI-NRM");
        receiverOptions.PeerEndpoint.MaxEnvelopeBytes = 2 * 1024;
        await federation.StartAsync(receiverOptions);

        var accepted = await sender.ConsultAsync("FI-NRM", new string('S', 3999));
        var status = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Failed, Deadline);

        Assert.Equal(DeliveryState.Failed, status.State);
        Assert.Equal("TOO_LARGE", status.LastError);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_twice_stores_and_sends_one_message()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        var first = await sender.ConsultAsync("FI-NRM", "SYNTHETIC", idempotencyKey: "case-7-retry");
        var second = await sender.ConsultAsync("FI-NRM", "SYNTHETIC", idempotencyKey: "case-7-retry");
        await sender.WaitForStateAsync(first.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(1, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_recipient_is_refused_with_400_UNKNOWN_RECIPIENT_and_nothing_is_stored()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));

        using var response = await sender.Api.PostAsync("/api/v1/referrals", System.Net.Http.Json.JsonContent.Create(new
        {
            recipient = "SE-NMT",
            messageType = MessageTypes.AnonymousConsultation,
            body = new { question = "SYNTHETIC" },
        }));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UNKNOWN_RECIPIENT", await response.Content.ReadAsStringAsync());
        Assert.Empty(await sender.Stores.Sent.CountByStateAsync(CancellationToken.None));
    }
}
