using System.CommandLine;
using Gateway.Service.Cli;

namespace Gateway.Tests.Cli;

/// <summary>Runs the real <c>gateway</c> command line in process and captures what it prints.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = GatewayCommandLine.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
