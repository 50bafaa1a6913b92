using System.Diagnostics;

namespace Gateway.Tests.Cli;

/// <summary>The built gateway started as its own OS process, as a user or an operator runs it.</summary>
internal static class GatewayProcess
{
    /// <param name="environment">Variables to set; a null value removes the variable from the child's environment.</param>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Gateway.Service.Hosting.GatewayHost).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }
}
