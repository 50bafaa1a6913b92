using Gateway.Crypto.DevPki;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Service.Audit;
using Gateway.Service.Delivery;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Tests.Federation;

/// <summary>Operators act on the delivery queue through /ops/v1 (DESIGN §8.4): metadata only, operator role, each audited.</summary>
[Trait("Category", "Integration")]
public sealed class OperatorActionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_that_failed_when_its_time_to_live_ran_out_is_delivered_after_an_operator_retries_it()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        options.Delivery.Peers["FI-NRM"] = new PeerDeliveryOverrides { TimeToLive = TimeSpan.FromSeconds(1) };
        var sender = await federation.StartAsync(options);
        var accepted = await sender.ConsultAsync("FI-NRM");
        var failed = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Failed, Deadline);
        Assert.Equal("TTL_EXPIRED", failed.LastError);
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        using var listed = await Operator(sender).GetAsync("/ops/v1/messages?state=Failed");
        using var retry = await Operator(sender).PostAsJsonAsync($"/ops/v1/messages/{accepted.MessageId}/retry", new { reason = "partner back online" });
        var delivered = await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        Assert.Contains(accepted.MessageId.ToString(), await listed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(DeliveryState.Delivered, delivered.State);
        Assert.NotNull(await receiver.Stores.Inbox.GetAsync(accepted.MessageId, CancellationToken.None));
        var audit = Assert.Single(await sender.Stores.Audit.ListAsync(AuditActions.MessageRetried, 10, CancellationToken.None));
        Assert.Equal(accepted.MessageId, audit.MessageId);
        Assert.Equal(DevPeople.IdOf("EE-SKA", DevPeople.Operator), audit.Actor); // the person, by id
    }

    [Fact]
    public async Task Every_transition_is_recorded_with_its_time_and_reason()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var accepted = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.RetryWaiting, Deadline);
        await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Delivered, Deadline);

        using var response = await Operator(sender).GetAsync($"/ops/v1/messages/{accepted.MessageId}");
        var transitions = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("transitions").EnumerateArray()
            .Select(transition => (State: transition.GetProperty("state").GetString(), Reason: transition.GetProperty("reason").GetString(), At: transition.GetProperty("at").GetDateTimeOffset()))
            .ToList();

        Assert.Equal(("Queued", "SUBMITTED"), (transitions[0].State, transitions[0].Reason));
        Assert.Equal(("InFlight", "ATTEMPT 1"), (transitions[1].State, transitions[1].Reason));
        Assert.Equal(("RetryWaiting", "CONNECTION_FAILED"), (transitions[2].State, transitions[2].Reason));
        Assert.Equal("Delivered", transitions[^1].State);
        Assert.Equal("InFlight", transitions[^2].State);
        Assert.Equal(transitions.Select(transition => transition.At).Order(), transitions.Select(transition => transition.At));
    }

    [Fact]
    public async Task A_suspended_peer_receives_nothing_until_resumed_and_then_everything()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));

        using (var suspend = await Operator(sender).PostAsJsonAsync("/ops/v1/peers/FI-NRM/suspend", new { reason = "partner maintenance" }))
        {
            Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        }

        var held = await sender.ConsultAsync("FI-NRM");
        var marker = await sender.ConsultAsync("FI-NRM");
        await Task.Delay(TimeSpan.FromSeconds(1)); // several relay polls
        Assert.Equal(DeliveryState.Suspended, (await sender.StatusAsync(held.MessageId)).State);
        Assert.Equal(0, await receiver.Stores.Inbox.CountAsync(CancellationToken.None));
        using (var peers = await Operator(sender).GetAsync("/ops/v1/peers"))
        {
            var finland = JsonDocument.Parse(await peers.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Single(peer => peer.GetProperty("peerId").GetString() == "FI-NRM");
            Assert.True(finland.GetProperty("suspended").GetBoolean());
            Assert.Equal(2, finland.GetProperty("queue").GetProperty("suspended").GetInt32());
        }

        using (var resume = await Operator(sender).PostAsJsonAsync("/ops/v1/peers/FI-NRM/resume", new { reason = "maintenance over" }))
        {
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        }

        Assert.Equal(DeliveryState.Delivered, (await sender.WaitForStateAsync(held.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.Equal(DeliveryState.Delivered, (await sender.WaitForStateAsync(marker.MessageId, DeliveryState.Delivered, Deadline)).State);
        Assert.Single(await sender.Stores.Audit.ListAsync(AuditActions.PeerSuspended, 10, CancellationToken.None));
        Assert.Single(await sender.Stores.Audit.ListAsync(AuditActions.PeerResumed, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_message_never_reaches_the_peer_and_a_delivered_one_cannot_be_cancelled()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var options = federation.OptionsFor("EE-SKA");
        // A retry far away, so the cancel lands while the message waits and never races an attempt on the wire.
        options.Delivery.FirstRetryDelay = TimeSpan.FromMinutes(1);
        options.Delivery.MaxRetryDelay = TimeSpan.FromMinutes(1);
        var sender = await federation.StartAsync(options);
        var waiting = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(waiting.MessageId, DeliveryState.RetryWaiting, Deadline);

        using var cancel = await Operator(sender).PostAsJsonAsync($"/ops/v1/messages/{waiting.MessageId}/cancel", new { reason = "sent to the wrong partner" });
        var receiver = await federation.StartAsync(federation.OptionsFor("FI-NRM"));
        var marker = await sender.ConsultAsync("FI-NRM");
        await sender.WaitForStateAsync(marker.MessageId, DeliveryState.Delivered, Deadline);
        using var again = await Operator(sender).PostAsJsonAsync($"/ops/v1/messages/{marker.MessageId}/cancel", new { reason = "too late" });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(DeliveryState.Cancelled, (await sender.StatusAsync(waiting.MessageId)).State);
        Assert.Null(await receiver.Stores.Inbox.GetAsync(waiting.MessageId, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("NOT_ALLOWED_IN_STATE", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Actions_need_the_operator_role_and_a_JSON_body_so_a_cross_site_form_cannot_trigger_one()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));

        using var asCaseworker = await sender.Api.PostAsJsonAsync("/ops/v1/peers/FI-NRM/suspend", new { reason = "x" });
        using var asAuditor = await sender.ApiAs("auditor").PostAsJsonAsync("/ops/v1/peers/FI-NRM/suspend", new { reason = "x" });
        using var auditorReads = await sender.ApiAs("auditor").GetAsync("/ops/v1/peers");
        using var form = await Operator(sender).PostAsync("/ops/v1/peers/FI-NRM/suspend", new StringContent("reason=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.Forbidden, asCaseworker.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, auditorReads.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Empty(await sender.Stores.Operations.ListSuspendedPeersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_operators_view_of_a_message_carries_no_content_and_no_field_names()
    {
        await using var federation = TestFederation.Create("EE-SKA", "FI-NRM");
        var sender = await federation.StartAsync(federation.OptionsFor("EE-SKA"));
        var consent = await sender.RecordConsentAsync(["FI-NRM"], ["Identity", "Needs"]);
        var referral = await sender.ReferAsync("FI-NRM", consent, new { prs_FirstName = "SYNTHETIC-CANARY-7f3a", cas_OutgoingReferralDate = "2030-03-01" });

        var texts = new List<string>();
        foreach (var path in new[] { "/ops/v1/messages", $"/ops/v1/messages/{referral.MessageId}", "/ops/v1/peers" })
        {
            using var response = await Operator(sender).GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            texts.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(referral.MessageId.ToString(), texts[0]);
        Assert.All(texts, text => Assert.DoesNotContain("CANARY", text));
        Assert.All(texts, text => Assert.DoesNotContain("prs_FirstName", text));
    }

    private static HttpClient Operator(GatewayNode node) => node.ApiAs("operator");
}
