using System.Globalization;
using Gateway.Crypto.DevPki;

namespace Gateway.Service.Cli.Demo;

/// <summary>
/// Prints what happened: a table of messages, lines for the consent, its withdrawal and the erasures, where each
/// node's internal API is, and the checks. Ids, nodes, types, states and counts only; never a field's value.
/// </summary>
internal static class DemoReport
{
    public static void Print(TextWriter output, DemoSummary summary, DemoFederation nodes, DemoDataDirectory data)
    {
        output.WriteLine();
        output.WriteLine($"{"message",-14} {"from → to",-27} {"type",-24} {"state",-10} {"receipt",-9} {"fields",6}  {"profile",-18}");
        foreach (var message in summary.Messages)
        {
            var state = message.LastError is null ? message.State : $"{message.State} ({message.LastError})";
            output.WriteLine(
                $"{message.MessageId.ToString()[^12..],-14} {message.From + " → " + message.To,-27} {message.MessageType,-24} {state,-10} "
                + $"{(message.ReceiptVerified ? "verified" : "-"),-9} {message.DisclosedFields.Count,6}  {message.DisclosureProfile,-18}");
        }

        output.WriteLine();
        PrintResidence(output, summary);
        PrintConsent(output, summary);
        PrintEndpoints(output, nodes, data);
    }

    public static void PrintChecks(TextWriter output, DemoSummary summary)
    {
        if (summary.Passed)
        {
            output.WriteLine($"All checks passed: {summary.Messages.Count} messages delivered with verified receipts, "
                + $"the residence block to {DemoNodes.ContactPoint} whole and to {DemoNodes.Shelter} only its counselling flag and reflection period end, "
                + $"erasure confirmed by {string.Join(" and ", DemoNodes.Recipients)}, and their inboxes answer 410 for the referral.");
            return;
        }

        foreach (var failed in summary.FailedChecks)
        {
            output.WriteLine($"CHECK FAILED: {failed}");
        }
    }

    private static void PrintResidence(TextWriter output, DemoSummary summary)
    {
        foreach (var residence in summary.Residence)
        {
            var received = residence.Received.Count == 0 ? "nothing" : string.Join(", ", residence.Received);
            var withheld = residence.Withheld.Count == 0 ? string.Empty : $"; withheld {string.Join(", ", residence.Withheld)}";
            output.WriteLine($"Residence    {residence.Recipient,-17} ({residence.DisclosureProfile}) received {received}{withheld}");
        }
    }

    private static void PrintConsent(TextWriter output, DemoSummary summary)
    {
        if (summary.Consent is not { } consent)
        {
            output.WriteLine("Consent      none recorded");
            return;
        }

        output.WriteLine($"Consent      {consent.Id} on {DemoNodes.Sender}: given by {consent.GivenBy} for {string.Join(", ", consent.Recipients)}; "
            + $"{string.Join(", ", consent.Purposes)}; {consent.Categories.Count} data categories");
        output.WriteLine(consent.Withdrawn
            ? $"Withdrawal   {consent.Id} withdrawn at {Time(consent.WithdrawnAt)}; ConsentWithdrawn sent to {(consent.Erasures.Count == 0 ? "nobody" : string.Join(", ", consent.Erasures.Select(erasure => erasure.Peer)))}"
            : $"Withdrawal   {consent.Id} NOT withdrawn");
        foreach (var peer in DemoNodes.Recipients)
        {
            var erasure = consent.Erasures.FirstOrDefault(erasure => erasure.Peer == peer);
            var confirmation = erasure switch
            {
                null => "no erasure requested",
                { Confirmed: true } => $"confirmed at {Time(erasure.ConfirmedAt)} (ErasureConfirmed {erasure.ConfirmationMessageId})",
                _ => $"NOT confirmed (ConsentWithdrawn {erasure.RequestMessageId})",
            };
            var gone = summary.ErasureVerified.TryGetValue(peer, out var verified) && verified
                ? "its inbox answers 410 Gone for the referral"
                : "its inbox does NOT answer 410 for the referral";
            output.WriteLine($"Erasure      {peer,-17} {confirmation}; {gone}");
        }
    }

    private static void PrintEndpoints(TextWriter output, DemoFederation nodes, DemoDataDirectory data)
    {
        output.WriteLine();
        output.WriteLine($"Internal APIs (HTTPS, mutual TLS: client certificates are in {Path.Combine(data.Pki, "<NODE>", "clients")}{Path.DirectorySeparatorChar}, "
            + "one per synthetic person in people.json: caseworker.crt (team A and intake) and caseworker-b.crt (team B) for /api, operator.crt for /ops, "
            + "dpo.crt for /api/v1/oversight; the server's CA is internal-ca.crt there):");
        foreach (var node in DemoNodes.All)
        {
            output.WriteLine($"  {node,-17} {nodes[node].BaseAddress}api/v1/   ops: {nodes[node].BaseAddress}ops/v1/erasures");
        }

        var clients = DevPkiLayout.ClientsFolder(data.Pki, DemoNodes.Sender);
        output.WriteLine($"  e.g. curl --cacert {Path.Combine(clients, "internal-ca.crt")} --cert {Path.Combine(clients, "caseworker.crt")} "
            + $"--key {Path.Combine(clients, "caseworker.key")} {nodes[DemoNodes.Sender].BaseAddress}api/v1/inbox");
        output.WriteLine(nodes.Storage == nameof(Persistence.StorageProvider.Sqlite)
            ? $"The nodes stop when the demo ends; 'run --pki {data.Pki} --node <NODE> --data-dir {data.Root}' serves one again on its demo database."
            : "The nodes stop when the demo ends.");
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
