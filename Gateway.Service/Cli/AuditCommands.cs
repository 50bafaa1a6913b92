using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Gateway.Service.Audit;
using Gateway.Service.Persistence;

namespace Gateway.Service.Cli;

/// <summary><c>audit verify</c>: checks a node's audit chain and signed checkpoints, naming the first broken entry.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var pki = new Option<DirectoryInfo?>("--pki") { Description = "A folder written by 'pki init-dev' (else the Gateway configuration is used)." };
        var node = new Option<string?>("--node") { Description = "Which node of that PKI." };
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the node keeps its SQLite database, as given to 'run'.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "run")),
        };
        var connection = new Option<string?>("--connection-string")
        {
            Description = "The node's database, when it is not where 'run' would find it: 'Data Source=FILE' (SQLite) or an Npgsql connection string (host=...).",
        };
        var verify = new Command("verify", "Check that no audit entry was changed, removed or inserted: exit 0 when intact, 1 naming the first broken entry.")
        {
            pki, node, dataDirectory, connection,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            var options = RunCommand.Resolve(parse.GetValue(pki), parse.GetValue(node), parse.GetRequiredValue(dataDirectory).FullName);
            if (options is null)
            {
                console.Error.WriteLine("audit verify: give --pki and --node, or a Gateway configuration (appsettings.json or Gateway__* variables)");
                return GatewayCommandLine.UsageError;
            }

            var storage = options.Storage;
            if (parse.GetValue(connection) is { Length: > 0 } explicitDatabase)
            {
                storage.ConnectionString = explicitDatabase;
                storage.Provider = explicitDatabase.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase) ? StorageProvider.Sqlite : StorageProvider.Postgres;
            }

            if (storage.Provider == StorageProvider.Sqlite && !File.Exists(storage.ConnectionString.Replace("Data Source=", string.Empty, StringComparison.Ordinal)))
            {
                console.Error.WriteLine($"audit verify: no database at {storage.ConnectionString}");
                return GatewayCommandLine.UsageError;
            }

            using var signing = X509CertificateLoader.LoadCertificateFromFile(options.Node.SigningCertificateFile);
            await using var database = new Database(storage.Provider, storage.ConnectionString, [AuditServices.Trail()]);
            AuditVerification result;
            try
            {
                result = await AuditVerifier.VerifyAsync(new AuditStore(database), options.Node.NodeId, signing, cancellationToken);
            }
            catch (System.Data.Common.DbException exception)
            {
                console.Error.WriteLine($"audit verify: cannot read the audit log ({exception.Message.Split('\n')[0]})");
                return GatewayCommandLine.UsageError;
            }
            if (!result.Intact)
            {
                console.Error.WriteLine($"audit verify: BROKEN at entry {result.BrokenAt}: {result.Problem}");
                return GatewayCommandLine.Rejected;
            }

            console.Output.WriteLine($"audit verify: intact: {result.Entries} entries, {result.Checkpoints} signed checkpoints of {options.Node.NodeId}");
            return 0;
        });
        return new Command("audit", "The node's audit log.") { verify };
    }
}
