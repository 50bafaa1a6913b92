using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Crypto.DevPki;
using Gateway.Service.Audit;
using Gateway.Service.Delivery;
using Gateway.Service.Persistence;
using Gateway.Tests.Federation;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Gateway.Service.Referrals;
using Gateway.Service.Telemetry;

namespace Gateway.Tests.Dashboard;

/// <summary>
/// The operator dashboard at /ops (DESIGN §10) in a real headless Chromium against real nodes: what it shows equals
/// the store, it refreshes by itself, its actions work and are audited, auditors only read, and nothing it serves
/// carries referral content.
/// </summary>
[Trait("Category", "Browser")]
public sealed class OperatorDashboardTests(ITestOutputHelper output)
{
    private const string Estonia = "EE-SKA";
    private const string Finland = "FI-NRM";
    private const string Shelter = "LV-NGO-SAFEHOUSE";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>One refresh period (5 s) and some slack.</summary>
    private const float OneRefresh = 7_000;

    [Fact]
    public async Task The_dashboard_lists_every_peer_with_the_counts_the_store_holds()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        var sender = await federation.StartAsync(federation.OptionsFor(Estonia));
        await federation.StartAsync(federation.OptionsFor(Finland));

        // The shelter is suspended first, so its messages hold still and every count on the page is stable.
        await PostActionAsync(sender, $"/ops/v1/peers/{Shelter}/suspend", "SYNTHETIC partner maintenance");
        var delivered = new List<Guid>();
        var held = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            delivered.Add((await sender.ConsultAsync(Finland)).MessageId);
        }

        for (var i = 0; i < 2; i++)
        {
            held.Add((await sender.ConsultAsync(Shelter)).MessageId);
        }

        foreach (var id in delivered)
        {
            Assert.Equal(DeliveryState.Delivered, (await sender.WaitForStateAsync(id, DeliveryState.Delivered, Deadline)).State);
        }

        foreach (var id in held)
        {
            Assert.Equal(DeliveryState.Suspended, (await sender.WaitForStateAsync(id, DeliveryState.Suspended, Deadline)).State);
        }

        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);
        var consoleErrors = new List<string>();
        var (page, _) = await browser.OpenDashboardAsync(sender, DevClientRoles.Operator);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        var store = (await sender.Stores.Operations.SummarizePeersAsync(DateTimeOffset.UtcNow, CancellationToken.None)).ToDictionary(summary => summary.PeerId);
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-operator", output);

        Assert.Equal([Finland, Shelter], await page.Locator("#peers tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.peer)"));
        foreach (var peer in sender.Identity.Peers.Peers)
        {
            var summary = store.GetValueOrDefault(peer.Id) ?? new PeerQueueSummary { PeerId = peer.Id };
            var shown = await FieldsAsync(page, peer.Id);
            Assert.Equal(
                new[] { summary.Queued, summary.InFlight, summary.RetryWaiting, summary.Failed, summary.Suspended, summary.DeliveredLastDay }.Select(count => count.ToString()),
                new[] { shown["queued"], shown["inFlight"], shown["retryWaiting"], shown["failed"], shown["held"], shown["deliveredLastDay"] });
            Assert.Equal(summary.LastDeliveredAt is { } last ? last.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC" : "never", shown["lastDelivered"]);
            Assert.Equal(summary.OldestUndeliveredAt is null, shown["oldestUndelivered"] == "—");
            Assert.Equal(peer.Tls.Count + peer.Signing.Count + peer.Encryption.Count,
                await page.Locator($"#peers tr[data-peer='{peer.Id}'] .cert").CountAsync());
        }

        Assert.Equal((3, 2), (store[Finland].DeliveredLastDay, store[Shelter].Suspended));
        Assert.Equal(("no", "yes"), ((await FieldsAsync(page, Finland))["suspended"], (await FieldsAsync(page, Shelter))["suspended"]));
        Assert.Equal(["Suspended", "Suspended"], await page.Locator("#problems tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.state)"));
        Assert.Equal(4, await page.Locator("#own-certificates .cert").CountAsync());
        Assert.Matches(@"^updated at \d\d:\d\d:\d\d$", await page.TextContentAsync("#updated"));
        Assert.Empty(consoleErrors); // a Content-Security-Policy violation would show here
    }

    [Fact]
    public async Task A_failed_delivery_appears_within_one_refresh_and_is_delivered_after_Retry_is_clicked()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        var options = federation.OptionsFor(Estonia);
        options.Delivery.Peers[Finland] = new PeerDeliveryOverrides { TimeToLive = TimeSpan.FromSeconds(1) };
        var sender = await federation.StartAsync(options);
        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);
        var (page, _) = await browser.OpenDashboardAsync(sender, DevClientRoles.Operator);

        var accepted = await sender.ConsultAsync(Finland);
        Assert.Equal(DeliveryState.Failed, (await sender.WaitForStateAsync(accepted.MessageId, DeliveryState.Failed, Deadline)).State);
        var problem = page.Locator($"#problems tr[data-message='{accepted.MessageId}']");
        await Assertions.Expect(problem).ToBeVisibleAsync(new() { Timeout = OneRefresh });
        await Assertions.Expect(problem.Locator("td[data-field='lastError']")).ToHaveTextAsync("TTL_EXPIRED");
        await Assertions.Expect(page.Locator($"#peers tr[data-peer='{Finland}'] td[data-field='failed']")).ToHaveTextAsync("1");
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-failed", output);

        await federation.StartAsync(federation.OptionsFor(Finland));
        await page.FillAsync("#reason", "SYNTHETIC partner back online");
        await problem.Locator("button[data-action='retry']").ClickAsync();

        await Assertions.Expect(problem).ToHaveCountAsync(0, new() { Timeout = 2 * OneRefresh });
        await Assertions.Expect(page.Locator($"#peers tr[data-peer='{Finland}'] td[data-field='deliveredLastDay']")).ToHaveTextAsync("1", new() { Timeout = 2 * OneRefresh });
        await Assertions.Expect(page.Locator($"#peers tr[data-peer='{Finland}'] td[data-field='failed']")).ToHaveTextAsync("0");
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-retried", output);
        Assert.Equal(DeliveryState.Delivered, (await sender.StatusAsync(accepted.MessageId)).State);
        var audit = Assert.Single(await sender.Stores.Audit.ListAsync(AuditActions.MessageRetried, 10, CancellationToken.None));
        Assert.Equal(accepted.MessageId, audit.MessageId);
        Assert.Equal(DevPeople.IdOf("EE-SKA", DevPeople.Operator), audit.Actor); // the person, by id
    }

    [Fact]
    public async Task Nothing_the_operators_browser_receives_contains_referral_content()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        var sender = await federation.StartAsync(federation.OptionsFor(Estonia));
        var finland = await federation.StartAsync(federation.OptionsFor(Finland));
        var canary = "SYNTHETIC-CANARY-" + Guid.NewGuid().ToString("N");
        var body = new { prs_FirstName = canary, cas_OutgoingReferralDate = "2030-03-01" };
        var withdrawn = await sender.RecordConsentAsync([Finland], ["Identity", "Needs"]);
        var toFinland = await sender.ReferAsync(Finland, withdrawn, body);
        Assert.Equal(DeliveryState.Delivered, (await sender.WaitForStateAsync(toFinland.MessageId, DeliveryState.Delivered, Deadline)).State);
        var toShelter = await sender.ReferAsync(Shelter, await sender.RecordConsentAsync([Shelter], ["Identity", "Needs"]), body);
        Assert.Equal(DeliveryState.RetryWaiting, (await sender.WaitForStateAsync(toShelter.MessageId, DeliveryState.RetryWaiting, Deadline)).State);

        // Finland is down when the consent is withdrawn, so its erasure confirmation stays outstanding on the page.
        await finland.StopAsync();
        using (var withdraw = await sender.Api.PostAsJsonAsync($"/api/v1/consents/{withdrawn}/withdraw", new { withdrawnBy = "Subject", reason = "WithdrawnByPerson" }))
        {
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }

        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);
        var page = await browser.NewPageAsync(sender, DevClientRoles.Operator);
        var received = new ConcurrentQueue<Task<(string Url, int Status, string? Body)>>();
        page.Context.Response += (_, response) => received.Enqueue(BodyOfAsync(response));
        await page.GotoAsync("/ops");
        await page.WaitForSelectorAsync("body[data-refreshes]", new() { State = WaitForSelectorState.Attached });

        var shelterRow = page.Locator($"#problems tr[data-message='{toShelter.MessageId}']");
        await Assertions.Expect(shelterRow).ToBeVisibleAsync(new() { Timeout = OneRefresh });
        await Assertions.Expect(page.Locator("#erasures tbody tr")).ToHaveCountAsync(1, new() { Timeout = OneRefresh });
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-problems-and-erasures", output);
        await page.FillAsync("#reason", "SYNTHETIC checking the dashboard");
        await page.ClickAsync($"#peers tr[data-peer='{Shelter}'] button[data-action='suspend']");
        await Assertions.Expect(page.Locator($"#peers tr[data-peer='{Shelter}'] td[data-field='suspended']")).ToHaveTextAsync("yes", new() { Timeout = OneRefresh });
        await page.ClickAsync($"#peers tr[data-peer='{Shelter}'] button[data-action='resume']");
        await Assertions.Expect(page.Locator($"#peers tr[data-peer='{Shelter}'] td[data-field='suspended']")).ToHaveTextAsync("no", new() { Timeout = OneRefresh });
        await shelterRow.Locator("button[data-action='cancel']").ClickAsync();
        await Assertions.Expect(shelterRow).ToHaveCountAsync(0, new() { Timeout = OneRefresh });
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-refreshes]", new() { State = WaitForSelectorState.Attached });
        var dom = await page.ContentAsync();
        await page.Context.CloseAsync();
        var bodies = await Task.WhenAll(received);

        Assert.Contains(bodies, body => body.Url.EndsWith("/ops", StringComparison.Ordinal));
        Assert.Contains(bodies, body => body.Body?.Contains(toShelter.MessageId.ToString(), StringComparison.Ordinal) == true);
        Assert.Contains(bodies, body => body.Body?.Contains(withdrawn.ToString(), StringComparison.Ordinal) == true); // the erasure row
        Assert.All(bodies, body => Assert.True(body.Body is not null || body.Status is >= 300 and < 400, $"{body.Url}: {body.Status} without a readable body"));
        Assert.All(bodies, body => Assert.False(body.Body?.Contains(canary[^32..], StringComparison.OrdinalIgnoreCase) ?? false, $"{body.Url} carried the canary"));
        Assert.All(bodies, body => Assert.False(body.Body?.Contains("prs_FirstName", StringComparison.Ordinal) ?? false, $"{body.Url} carried a field name"));
        Assert.DoesNotContain(bodies, body => body.Url.Contains("/api/", StringComparison.Ordinal));
        Assert.DoesNotContain(canary, dom, StringComparison.Ordinal);
        output.WriteLine($"{bodies.Length} responses checked for the canary");
    }

    [Fact]
    public async Task An_auditor_sees_the_dashboard_without_any_action()
    {
        await using var federation = TestFederation.Create(Estonia, Finland, Shelter);
        var sender = await federation.StartAsync(federation.OptionsFor(Estonia));
        await PostActionAsync(sender, $"/ops/v1/peers/{Shelter}/suspend", "SYNTHETIC partner maintenance");
        await sender.ConsultAsync(Shelter);
        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);

        var (page, response) = await browser.OpenDashboardAsync(sender, DevClientRoles.Auditor);
        await Assertions.Expect(page.Locator("#problems tbody tr")).ToHaveCountAsync(1, new() { Timeout = OneRefresh });
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-auditor", output);

        Assert.Equal(200, response.Status);
        Assert.Equal(2, await page.Locator("#peers tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("button").CountAsync());
        Assert.True(await page.Locator("#actions-bar").IsHiddenAsync());
        Assert.Equal("signed in as auditor (read-only)", await page.TextContentAsync("#role"));
    }

    [Fact]
    public async Task A_caseworker_certificate_gets_403_for_the_dashboard_and_its_assets()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        var sender = await federation.StartAsync(federation.OptionsFor(Estonia));
        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);
        var page = await browser.NewPageAsync(sender, DevClientRoles.Caseworker);

        foreach (var path in new[] { "/ops", "/ops/assets/dashboard.js", "/ops/v1/me", "/ops/v1/certificates" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Status == 403, $"{path}: {response?.Status}");
            Assert.Contains("ROLE_FORBIDDEN", await response!.TextAsync());
        }
    }

    [Fact]
    public async Task The_page_may_not_be_framed_cached_or_run_inline_script()
    {
        await using var federation = TestFederation.Create(Estonia, Finland);
        var sender = await federation.StartAsync(federation.OptionsFor(Estonia));
        await using var browser = await DashboardBrowser.LaunchAsync(federation, sender);

        var (page, response) = await browser.OpenDashboardAsync(sender, DevClientRoles.Operator);
        var headers = await response.AllHeadersAsync();
        var html = await response.TextAsync();
        var script = await page.GotoAsync("/ops/assets/dashboard.js");

        Assert.StartsWith("default-src 'self'; script-src 'self';", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("no-store", headers["cache-control"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.Equal("no-store", (await script!.AllHeadersAsync())["cache-control"]);
        Assert.StartsWith("text/javascript", (await script.AllHeadersAsync())["content-type"], StringComparison.Ordinal);
    }

    /// <summary>The text of every cell of the peer's row, by its data-field.</summary>
    private static async Task<Dictionary<string, string>> FieldsAsync(IPage page, string peerId) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(await page.Locator($"#peers tr[data-peer='{peerId}'] td[data-field]")
            .EvaluateAllAsync<string>("cells => JSON.stringify(Object.fromEntries(cells.map(cell => [cell.dataset.field, cell.textContent])))"))!;

    private static async Task<(string Url, int Status, string? Body)> BodyOfAsync(IResponse response)
    {
        try
        {
            return (response.Url, response.Status, Encoding.UTF8.GetString(await response.BodyAsync()));
        }
        catch (PlaywrightException)
        {
            return (response.Url, response.Status, null); // a redirect has no body; any other miss fails the test
        }
    }

    private static async Task PostActionAsync(GatewayNode node, string path, string reason)
    {
        using var response = await node.ApiAs(DevClientRoles.Operator).PostAsJsonAsync(path, new { reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
