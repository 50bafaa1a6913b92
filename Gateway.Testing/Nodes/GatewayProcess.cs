using System.Diagnostics;

namespace Gateway.Testing.Nodes;

/// <summary>The built gateway started as its own OS process (<c>dotnet gateway.dll ...</c>), as a user or an operator runs it.</summary>
public static class GatewayProcess
{
    /// <summary>The gateway's entry assembly as built beside the caller (a project reference copies it there).</summary>
    public static string GatewayDll => typeof(Gateway.Service.Hosting.GatewayHost).Assembly.Location;

    /// <summary>Starts the gateway with stdin closed and stdout and stderr redirected, for the caller to read.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable from the child's environment.</param>
    /// <param name="arguments">The command line after <c>gateway</c>.</param>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(GatewayDll);
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

        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {GatewayDll} did not start");
        process.StandardInput.Close();
        return process;
    }
}
