using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Crypto.DevPki;
using Gateway.Service.Hosting;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>demo</c>: EE-SKA, FI-NRM and LV-NGO-SAFEHOUSE in one process on loopback, each a full node with its own
/// store and bus, talking mutual TLS. EE-SKA refers to both; they answer. Every message goes through the
/// internal API, the outbox, the broker, the peer endpoint and back with a signed receipt.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] NodeIds = ["EE-SKA", "FI-NRM", "LV-NGO-SAFEHOUSE"];
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the demo keeps its dev PKI and databases and writes demo-summary.json.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "demo")),
        };
        var exit = new Option<bool>("--exit") { Description = "Exit 0 only if every message was delivered with a verified receipt." };
        var basePort = new Option<int>("--base-port") { Description = "First port when the dev PKI is generated (node i: BASE+2i peer, BASE+2i+1 internal).", DefaultValueFactory = _ => DevFederation.DefaultBasePort };
        var command = new Command("demo", "Run a three-node federation on loopback and print what happened.") { dataDirectory, exit, basePort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetRequiredValue(dataDirectory).FullName;
            var pki = EnsurePki(directory, parse.GetValue(basePort), output);
            var apps = new Dictionary<string, WebApplication>();
            var transport = "in-memory transport";
            var storage = "SQLite";
            try
            {
                foreach (var id in NodeIds)
                {
                    var options = await NodeOptionsAsync(pki, id, directory, cancellationToken);
                    transport = string.IsNullOrEmpty(options.RabbitMqUri) ? transport : "RabbitMQ";
                    storage = options.Storage.ToString();
                    var app = await GatewayHost.BuildAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(c => c.SingleLine = true), cancellationToken);
                    await app.StartAsync(cancellationToken);
                    apps[id] = app;
                }

                output.WriteLine($"Three nodes up on loopback with mutual TLS ({storage}, {transport}).");
                var outcomes = await RunScenarioAsync(pki, cancellationToken);
                PrintTable(output, outcomes);

                var summaryPath = Path.Combine(directory, "demo-summary.json");
                await File.WriteAllBytesAsync(summaryPath, JsonSerializer.SerializeToUtf8Bytes(new { messages = outcomes }, GatewayJson.Indented), cancellationToken);
                output.WriteLine();
                output.WriteLine($"Summary: {summaryPath}");
                foreach (var id in NodeIds)
                {
                    output.WriteLine($"  {id,-18} internal API http://127.0.0.1:{PortsOf(pki, id).Internal}/api/v1/referrals/{{id}}   peer endpoint https://localhost:{PortsOf(pki, id).Peer}/peer/v1/envelopes");
                }

                var allDelivered = outcomes.All(outcome => outcome.ReceiptVerified);
                output.WriteLine(allDelivered ? "All messages delivered with verified receipts." : "Some messages were NOT delivered with a verified receipt.");
                return parse.GetValue(exit) && !allDelivered ? 1 : 0;
            }
            finally
            {
                foreach (var app in apps.Values)
                {
                    await app.StopAsync(CancellationToken.None);
                    await app.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static async Task<IReadOnlyList<DemoOutcome>> RunScenarioAsync(string pki, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var conversation = "demo-" + Guid.NewGuid().ToString("N")[..12];
        var outcomes = new List<DemoOutcome>();

        // Synthetic case data only: no real person is described here.
        var first = new[]
        {
            await SendAsync(http, pki, "EE-SKA", "FI-NRM", MessageTypes.AnonymousConsultation, conversation, null,
                new { question = "SYNTHETIC: which documents does your assistance system need for an adult referral?" }, cancellationToken),
            await SendAsync(http, pki, "EE-SKA", "FI-NRM", MessageTypes.ReferralRequest, conversation, null,
                new { prs_FirstName = "SYNTHETIC", prs_Citizenship = new[] { "UA" }, prs_PrimaryLanguage = "ukr", vic_TraffickingStatus = "PossibleVictimOfTrafficking", spl_Type = new[] { "SocialCare", "Legal" } }, cancellationToken),
            await SendAsync(http, pki, "EE-SKA", "LV-NGO-SAFEHOUSE", MessageTypes.ReferralRequest, conversation, null,
                new { prs_FirstName = "SYNTHETIC", prs_PrimaryLanguage = "rus", spl_Type = new[] { "SocialCare" } }, cancellationToken),
        };
        foreach (var sent in first)
        {
            outcomes.Add(await AwaitOutcomeAsync(http, pki, sent, cancellationToken));
        }

        var answers = new[]
        {
            await SendAsync(http, pki, "FI-NRM", "EE-SKA", MessageTypes.AdmissionDecision, conversation, first[1].MessageId,
                new { decision = "Accepted", reasonCode = "CapacityAvailable" }, cancellationToken),
            await SendAsync(http, pki, "LV-NGO-SAFEHOUSE", "EE-SKA", MessageTypes.ReferralAcknowledgement, conversation, first[2].MessageId,
                new { contactPerson = "SYNTHETIC case worker", alternateContactPerson = "SYNTHETIC duty phone" }, cancellationToken),
        };
        foreach (var sent in answers)
        {
            outcomes.Add(await AwaitOutcomeAsync(http, pki, sent, cancellationToken));
        }

        return outcomes;
    }

    private static async Task<SentMessage> SendAsync(HttpClient http, string pki, string from, string to, string type, string conversation, Guid? inReplyTo, object body, CancellationToken cancellationToken)
    {
        var request = new SendMessageRequest
        {
            Recipient = to,
            MessageType = type,
            Body = JsonSerializer.SerializeToElement(body, GatewayJson.Options),
            ConversationId = conversation,
            InReplyTo = inReplyTo,
            Purpose = "Assistance",
        };
        var response = await http.PostAsJsonAsync($"http://127.0.0.1:{PortsOf(pki, from).Internal}/api/v1/referrals", request, ApiJson, cancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = (await response.Content.ReadFromJsonAsync<SendMessageAccepted>(ApiJson, cancellationToken))!;
        return new SentMessage(accepted.MessageId, from, to, type, Stopwatch.StartNew());
    }

    private static async Task<DemoOutcome> AwaitOutcomeAsync(HttpClient http, string pki, SentMessage sent, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{PortsOf(pki, sent.From).Internal}/api/v1/referrals/{sent.MessageId}";
        MessageStatus? status = null;
        while (sent.Clock.Elapsed < DeliveryDeadline)
        {
            status = await http.GetFromJsonAsync<MessageStatus>(url, ApiJson, cancellationToken);
            if (status!.State is DeliveryState.Delivered or DeliveryState.Failed or DeliveryState.Cancelled)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        var state = status?.State.ToString() ?? "Unknown";
        if (status?.LastError is { } error && status.State != DeliveryState.Delivered)
        {
            state += $" ({error})";
        }

        return new DemoOutcome(sent.MessageId, sent.From, sent.To, sent.Type, state,
            status is { State: DeliveryState.Delivered, Receipt: not null }, Math.Round(sent.Clock.Elapsed.TotalMilliseconds, 1));
    }

    private static void PrintTable(TextWriter output, IReadOnlyList<DemoOutcome> outcomes)
    {
        output.WriteLine();
        output.WriteLine($"{"message",-14} {"from → to",-30} {"type",-24} {"state",-24} {"receipt",-9} {"ms",7}");
        foreach (var outcome in outcomes)
        {
            output.WriteLine(
                $"{outcome.MessageId.ToString()[^12..],-14} {outcome.From + " → " + outcome.To,-30} {outcome.Type,-24} {outcome.State,-24} {(outcome.ReceiptVerified ? "verified" : "-"),-9} {outcome.Milliseconds,7:0.0}");
        }
    }

    private static async Task<GatewayNodeOptions> NodeOptionsAsync(string pki, string id, string directory, CancellationToken cancellationToken)
    {
        var options = GatewayNodeOptions.FromDevPki(pki, id, Path.Combine(directory, id));
        options.QueuePrefix = "gateway-demo";
        options.Delivery = new Delivery.DeliveryOptions
        {
            FirstRetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            RelayPollInterval = TimeSpan.FromMilliseconds(200),
            AttemptTimeout = TimeSpan.FromSeconds(15),
        };
        RunCommand.ApplyEnvironment(options);
        if (options.Storage == StorageProvider.Postgres)
        {
            options.ConnectionString = await PostgresDatabases.EnsureAsync(options.ConnectionString, PostgresDatabases.NameFor("gateway_demo", id), cancellationToken);
        }

        return options;
    }

    private static string EnsurePki(string directory, int basePort, TextWriter output)
    {
        var pki = Path.Combine(directory, "pki");
        if (NodeIds.All(id => File.Exists(DevPkiLayout.PeersFile(pki, id))))
        {
            output.WriteLine($"Dev mode: using the development PKI in {pki}");
            return pki;
        }

        using var federation = DevFederation.Create(NodeIds, EncryptionKeyKind.Ec, DateTimeOffset.UtcNow, basePort);
        federation.WriteTo(pki);
        output.WriteLine($"Dev mode: generated a development PKI in {pki} (unencrypted dev keys, never for real data)");
        return pki;
    }

    private static readonly Dictionary<(string Pki, string Node), (int Peer, int Internal)> Ports = [];

    /// <summary>A node's ports from its peers.json, read once per node.</summary>
    private static (int Peer, int Internal) PortsOf(string pki, string id)
    {
        lock (Ports)
        {
            if (!Ports.TryGetValue((pki, id), out var ports))
            {
                var self = DevPkiLayout.LoadPeers(pki, id).Self;
                ports = (self.PeerPort, self.InternalPort);
                Ports[(pki, id)] = ports;
            }

            return ports;
        }
    }

    private sealed record SentMessage(Guid MessageId, string From, string To, string Type, Stopwatch Clock);

    private sealed record DemoOutcome(Guid MessageId, string From, string To, string Type, string State, bool ReceiptVerified, double Milliseconds);
}
