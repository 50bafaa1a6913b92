using System.CommandLine;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Peers;
using Gateway.Service.Cli.Demo;
using Npgsql;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>demo</c>: EE-SKA, FI-NRM and LV-NGO-SAFEHOUSE in one process on loopback, each a full node with its own store
/// and bus, mutual TLS between them and to their internal APIs. A consent, an anonymous consultation, a referral
/// minimised per recipient, answers, a withdrawal and the erasures it sets off, all through the caseworker API
/// (DESIGN §11). The PKI is kept between runs; the node databases start fresh on each.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the demo keeps its dev PKI and node databases (fresh each run) and writes demo-summary.json.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "demo")),
        };
        var exit = new Option<bool>("--exit")
        {
            Description = "Exit 0 only if every message was delivered with a verified receipt, both erasures were confirmed and both inboxes answer 410; else 1.",
        };
        var basePort = new Option<int>("--base-port")
        {
            Description = "First port when the dev PKI is generated (node i: BASE+2i peer, BASE+2i+1 internal).",
            DefaultValueFactory = _ => DevFederation.DefaultBasePort,
        };
        var command = new Command("demo", "Run a three-node federation on loopback and print what happened.") { dataDirectory, exit, basePort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var time = TimeProvider.System;
            var data = new DemoDataDirectory(parse.GetRequiredValue(dataDirectory).FullName);
            DemoFederation nodes;
            try
            {
                data.EnsurePki(parse.GetValue(basePort), time.GetUtcNow(), output);
                data.ClearRunData();
                nodes = await DemoFederation.StartAsync(data, time, cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException or PeerRegistryException or NpgsqlException)
            {
                error.WriteLine($"demo: the federation did not start: {exception.Message}");
                return GatewayCommandLine.UsageError;
            }

            await using (nodes)
            {
                output.WriteLine($"Three nodes up on loopback with mutual TLS ({nodes.Storage}, {nodes.Transport}), each on a fresh database.");
                output.WriteLine();
                var transcript = await new DemoScenario(nodes, output, time).RunAsync(cancellationToken);
                var summary = transcript.ToSummary(nodes.Storage, nodes.Transport);
                DemoReport.Print(output, summary, nodes, data);
                await File.WriteAllBytesAsync(data.SummaryFile, JsonSerializer.SerializeToUtf8Bytes(summary, GatewayJson.Indented), cancellationToken);
                output.WriteLine($"Summary: {data.SummaryFile}");
                DemoReport.PrintChecks(output, summary);
                return parse.GetValue(exit) && !summary.Passed ? 1 : 0;
            }
        });
        return command;
    }
}
