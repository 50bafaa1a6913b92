using System.CommandLine;

namespace Gateway.Service.Cli;

/// <summary>The <c>gateway</c> command line (DESIGN §11).</summary>
internal static class GatewayCommandLine
{
    /// <summary>Exit code when an envelope or certificate is refused: the reason is on stderr with its code.</summary>
    public const int Rejected = 1;

    /// <summary>Exit code for a usage or configuration problem (missing file, unknown node, bad option).</summary>
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand("Referral Gateway: signed, encrypted, acknowledged cross-border referrals.");
        root.Add(RunCommand.Create());
        root.Add(PkiCommands.Create());
        root.Add(EnvelopeCommands.Create());
        root.Add(SchemaCommands.Create());
        root.Add(DemoCommand.Create());
        root.Add(AuditCommands.Create());
        root.Add(PeersCommands.Create());
        return root;
    }
}
