using System.CommandLine;
using Gateway.Crypto.DevPki;

namespace Gateway.Service.Cli;

/// <summary><c>pki init-dev</c>: a development federation written into a folder of the user's choice.</summary>
internal static class PkiCommands
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the federation into (must be empty or absent).", Required = true };
        var nodes = new Option<string>("--nodes") { Description = "Comma-separated node ids, e.g. EE-SKA,FI-NRM,LV-NGO-SAFEHOUSE.", Required = true };
        var encryptionKey = new Option<string>("--enc-key") { Description = "Encryption key type: ec (ECDH P-256) or rsa (RSA-3072 OAEP).", DefaultValueFactory = _ => "ec" };
        encryptionKey.AcceptOnlyFromAmong("ec", "rsa");
        var basePort = new Option<int>("--base-port") { Description = "Node i gets peer port BASE+2i and internal port BASE+2i+1.", DefaultValueFactory = _ => DevFederation.DefaultBasePort };

        var initDev = new Command("init-dev", "Create a development PKI: a CA per state, TLS/signing/encryption certificates per node, and each node's peers.json. Dev keys are unencrypted: never use them for real data.")
        {
            output, nodes, encryptionKey, basePort,
        };
        initDev.SetAction(parse =>
        {
            var console = parse.InvocationConfiguration;
            var directory = parse.GetRequiredValue(output);
            if (directory.Exists && directory.EnumerateFileSystemInfos().Any())
            {
                console.Error.WriteLine($"pki init-dev: {directory.FullName} is not empty; choose a new folder so no existing key is overwritten.");
                return GatewayCommandLine.UsageError;
            }

            var ids = parse.GetRequiredValue(nodes).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var kind = parse.GetValue(encryptionKey) == "rsa" ? EncryptionKeyKind.Rsa : EncryptionKeyKind.Ec;
            DevFederation federation;
            try
            {
                federation = DevFederation.Create(ids, kind, DateTimeOffset.UtcNow, parse.GetValue(basePort));
            }
            catch (ArgumentException exception)
            {
                console.Error.WriteLine($"pki init-dev: {exception.Message}");
                return GatewayCommandLine.UsageError;
            }

            using (federation)
            {
                federation.WriteTo(directory.FullName);
                console.Output.WriteLine($"Development PKI written to {directory.FullName} (keys unencrypted: dev only)");
                foreach (var node in federation.Nodes)
                {
                    console.Output.WriteLine($"  {node.Id,-20} {node.Kind,-13} peer port {node.PeerPort}, internal port {node.InternalPort}");
                }
            }

            return 0;
        });

        return new Command("pki", "Certificates for development federations.") { initDev };
    }
}
