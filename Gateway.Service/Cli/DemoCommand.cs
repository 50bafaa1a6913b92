using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Receipts;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Receipts;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>demo</c>: for now an offline round trip across three dev nodes — every envelope sealed by its sender,
/// opened and verified by its recipient, acknowledged with a signed receipt that the sender verifies. The
/// network, the outbox and the broker come with the peer-exchange work; the output shape stays the same.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] NodeIds = ["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"];

    public static Command Create()
    {
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the demo keeps its dev PKI and writes demo-summary.json.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "demo")),
        };
        var exit = new Option<bool>("--exit") { Description = "Exit 0 only if every message was delivered with a verified receipt." };
        var command = new Command("demo", "Run a three-node federation round trip and print what happened.") { dataDirectory, exit };
        command.SetAction(parse =>
        {
            var console = parse.InvocationConfiguration;
            var directory = parse.GetRequiredValue(dataDirectory).FullName;
            var pki = EnsurePki(directory, console.Output);
            var outcomes = Scenario().Select(message => Deliver(pki, message)).ToList();

            console.Output.WriteLine();
            console.Output.WriteLine($"{"message",-14} {"from → to",-30} {"type",-22} {"state",-28} {"receipt",-9} {"ms",5}");
            foreach (var outcome in outcomes)
            {
                console.Output.WriteLine(
                    $"{outcome.MessageId.ToString()[^12..],-14} {outcome.From + " → " + outcome.To,-30} {outcome.Type,-22} {outcome.State,-28} {(outcome.ReceiptVerified ? "verified" : "-"),-9} {outcome.Milliseconds,5:0.0}");
            }

            var summaryPath = Path.Combine(directory, "demo-summary.json");
            File.WriteAllBytes(summaryPath, JsonSerializer.SerializeToUtf8Bytes(new { messages = outcomes }, GatewayJson.Indented));
            console.Output.WriteLine();
            console.Output.WriteLine($"Summary: {summaryPath}");
            var allDelivered = outcomes.All(outcome => outcome.ReceiptVerified);
            console.Output.WriteLine(allDelivered ? "All messages delivered with verified receipts." : "Some messages were NOT delivered.");
            return parse.GetValue(exit) && !allDelivered ? 1 : 0;
        });
        return command;
    }

    private static string EnsurePki(string directory, TextWriter output)
    {
        var pki = Path.Combine(directory, "pki");
        if (NodeIds.All(id => File.Exists(DevPkiLayout.PeersFile(pki, id))))
        {
            output.WriteLine($"Dev mode: using the development PKI in {pki}");
            return pki;
        }

        using var federation = DevFederation.Create(NodeIds, EncryptionKeyKind.Ec, DateTimeOffset.UtcNow);
        federation.WriteTo(pki);
        output.WriteLine($"Dev mode: generated a development PKI in {pki} (unencrypted dev keys, never for real data)");
        return pki;
    }

    private static DemoOutcome Deliver(string pki, DemoMessage message)
    {
        var stopwatch = Stopwatch.StartNew();
        var time = TimeProvider.System;
        var header = new EnvelopeHeader
        {
            MessageId = message.Id,
            MessageType = message.Type,
            From = message.From,
            To = message.To,
            CreatedAt = time.GetUtcNow(),
            ConversationId = "demo-case-0001",
            InReplyTo = message.InReplyTo,
            Purpose = "Assistance",
            SchemaVersion = SchemaVersions.Current,
        };
        var body = JsonSerializer.SerializeToElement(message.Body, GatewayJson.Options);
        try
        {
            var senderPeers = DevPkiLayout.LoadPeers(pki, message.From);
            var recipient = senderPeers.Find(message.To)!;
            byte[] envelope;
            using (var signer = DevPkiLayout.LoadSigning(pki, message.From))
            {
                envelope = new EnvelopeSealer(time).Seal(new EnvelopePayload { Header = header, Body = body }, signer, recipient.CurrentEncryptionCertificate(time.GetUtcNow()));
            }

            byte[] signedReceipt;
            using (var identity = DevPkiLayout.LoadDecryption(pki, message.To))
            using (var receiverSigner = DevPkiLayout.LoadSigning(pki, message.To))
            {
                var opened = new EnvelopeOpener(identity, DevPkiLayout.LoadPeers(pki, message.To), new CertificateValidator(time)).Open(envelope);
                signedReceipt = new ReceiptSigner(time).Sign(
                    new Receipt
                    {
                        MessageId = opened.Payload.Header.MessageId,
                        EnvelopeSha256 = ReceiptSigner.EnvelopeDigest(envelope),
                        ReceivedAt = time.GetUtcNow(),
                        Receiver = message.To,
                        Sender = opened.Sender.Id,
                        Status = ReceiptStatus.Accepted,
                    },
                    receiverSigner);
            }

            new ReceiptVerifier(senderPeers, new CertificateValidator(time)).Verify(signedReceipt, message.To, message.Id, envelope);
            return DemoOutcome.Of(message, "Delivered", receiptVerified: true, stopwatch.Elapsed);
        }
        catch (EnvelopeException exception)
        {
            return DemoOutcome.Of(message, $"Failed ({exception.Code})", receiptVerified: false, stopwatch.Elapsed);
        }
    }

    /// <summary>Synthetic case data only: no real person is described here.</summary>
    private static IEnumerable<DemoMessage> Scenario()
    {
        var referralToFinland = Guid.CreateVersion7();
        yield return new DemoMessage(Guid.CreateVersion7(), "EE-SKA", "FI-NRM", MessageTypes.AnonymousConsultation, null,
            new { question = "Which documents does your assistance system need for an adult referral?" });
        yield return new DemoMessage(referralToFinland, "EE-SKA", "FI-NRM", MessageTypes.ReferralRequest, null,
            new { prs_FirstName = "Synthetic", prs_Citizenship = new[] { "UA" }, prs_PrimaryLanguage = "ukr", vic_TraffickingStatus = "PossibleVictimOfTrafficking", spl_Type = new[] { "Accommodation", "Interpretation" } });
        yield return new DemoMessage(Guid.CreateVersion7(), "EE-SKA", "LV-NGO-SAFEHOUSE", MessageTypes.ReferralRequest, null,
            new { prs_FirstName = "Synthetic", prs_PrimaryLanguage = "rus", spl_Type = new[] { "Accommodation" } });
        yield return new DemoMessage(Guid.CreateVersion7(), "FI-NRM", "EE-SKA", MessageTypes.AdmissionDecision, referralToFinland,
            new { decision = "Accepted" });
    }

    private sealed record DemoMessage(Guid Id, string From, string To, string Type, Guid? InReplyTo, object Body);

    private sealed record DemoOutcome(Guid MessageId, string From, string To, string Type, string State, bool ReceiptVerified, double Milliseconds)
    {
        public static DemoOutcome Of(DemoMessage message, string state, bool receiptVerified, TimeSpan elapsed) =>
            new(message.Id, message.From, message.To, message.Type, state, receiptVerified, elapsed.TotalMilliseconds);
    }
}
