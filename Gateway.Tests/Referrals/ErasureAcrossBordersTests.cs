using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Envelopes;
using Gateway.Service.Persistence;
using Gateway.Tests.Federation;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Referrals;

/// <summary>
/// Withdrawal across borders (DESIGN §6) with three real hosts: EE-SKA refers one person to FI-NRM and to a shelter,
/// the person withdraws consent, both recipients erase what they received and confirm, and their inbox API no longer
/// returns the content.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ErasureAcrossBordersTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_withdrawal_makes_both_recipients_erase_and_confirm_and_their_inbox_no_longer_returns_the_content()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var finland = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var shelter = await federation.StartAsync(federation.OptionsFor("LV-NGO-SAFEHOUSE"));
        var consent = await estonia.RecordConsentAsync(["FI-NRM", "LV-NGO-SAFEHOUSE"], ["Identity", "Demographic", "Needs", "Safety"]);
        var body = new
        {
            prs_FirstName = "SYNTHETIC-Anna Maria",
            prs_Birthdate = "1999-04-01",
            spl_Type = new[] { "SocialCare" },
            safety = new { riskLevel = "High" },
            cas_OutgoingReferralDate = "2030-03-01",
        };
        var toFinland = await estonia.ReferAsync("FI-NRM", consent, body);
        var toShelter = await estonia.ReferAsync("LV-NGO-SAFEHOUSE", consent, body);
        Assert.Equal(DeliveryState.Delivered, (await estonia.WaitForStateAsync(toFinland.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.Equal(DeliveryState.Delivered, (await estonia.WaitForStateAsync(toShelter.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.Equal(HttpStatusCode.OK, (await finland.Api.GetAsync($"/api/v1/inbox/{toFinland.MessageId}")).StatusCode);

        using (var withdraw = await estonia.Api.PostAsJsonAsync($"/api/v1/consents/{consent}/withdraw", new { withdrawnBy = "Subject", reason = "WithdrawnByPerson" }))
        {
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }

        var erasures = await WaitForConfirmationsAsync(estonia, consent, expected: 2);

        Assert.Equal(["FI-NRM", "LV-NGO-SAFEHOUSE"], erasures.Select(erasure => erasure.GetProperty("peerId").GetString()).Order());
        Assert.All(erasures, erasure => Assert.True(Confirmed(erasure), "an erasure is still outstanding"));
        foreach (var (recipient, messageId) in new[] { (finland, toFinland.MessageId), (shelter, toShelter.MessageId) })
        {
            using var read = await recipient.Api.GetAsync($"/api/v1/inbox/{messageId}");
            var problem = await read.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Gone, read.StatusCode);
            Assert.Contains("CONTENT_ERASED", problem);
            Assert.DoesNotContain("SYNTHETIC-Anna", problem);
            var stored = await recipient.Stores.Inbox.GetAsync(messageId, CancellationToken.None);
            Assert.NotNull(stored); // metadata stays
            Assert.Null(stored.Envelope); // content is gone
            Assert.Equal("CONSENT_WITHDRAWN", stored.ErasureReason);
        }

        // The outstanding list is empty once both confirmed; the sender's own copy of the content is gone too.
        using var outstanding = await estonia.ApiAs("operator").GetAsync("/ops/v1/erasures?outstanding=true");
        Assert.Equal("[]", await outstanding.Content.ReadAsStringAsync());
        Assert.Null((await estonia.StatusAsync(toFinland.MessageId)).Content);
    }

    [Fact]
    public async Task A_referral_still_queued_when_consent_is_withdrawn_is_cancelled_and_no_erasure_is_requested_for_it()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var estonia = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await estonia.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);
        var referral = await estonia.ReferAsync("FI-NRM", consent, new { prs_FirstName = "SYNTHETIC-Anna", cas_OutgoingReferralDate = "2030-03-01" });
        await estonia.WaitForStateAsync(referral.MessageId, DeliveryState.RetryWaiting, Deadline);

        using var withdraw = await estonia.Api.PostAsJsonAsync($"/api/v1/consents/{consent}/withdraw", new { withdrawnBy = "Guardian", reason = "WithdrawnByPerson" });
        using var json = JsonDocument.Parse(await withdraw.Content.ReadAsStringAsync());

        Assert.Equal(0, json.RootElement.GetProperty("erasures").GetArrayLength());
        Assert.Equal("Guardian", json.RootElement.GetProperty("consent").GetProperty("withdrawnBy").GetString());
        var status = await estonia.WaitForStateAsync(referral.MessageId, DeliveryState.Cancelled, Deadline);
        Assert.Equal(DeliveryState.Cancelled, status.State);
    }

    private static bool Confirmed(JsonElement erasure) =>
        erasure.TryGetProperty("confirmedAt", out var at) && at.ValueKind == JsonValueKind.String;

    private static async Task<IReadOnlyList<JsonElement>> WaitForConfirmationsAsync(GatewayNode node, Guid consent, int expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await node.Api.GetAsync($"/api/v1/consents/{consent}");
            var erasures = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("erasures").EnumerateArray().ToList();
            if ((erasures.Count == expected && erasures.All(Confirmed)) || clock.Elapsed > Deadline)
            {
                return erasures;
            }

            await Task.Delay(100);
        }
    }
}
