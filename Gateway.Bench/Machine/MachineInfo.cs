using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Bench.Machine;

/// <summary>The machine a result was measured on, as Linux and the runtimes describe it.</summary>
internal sealed record MachineInfo
{
    public required string CpuModel { get; init; }

    public required int LogicalCpus { get; init; }

    public required long MemoryMib { get; init; }

    public required string OperatingSystem { get; init; }

    public required string Kernel { get; init; }

    public required string DotNet { get; init; }

    public required string OpenSsl { get; init; }

    /// <summary>/proc/loadavg when the run started: other work on a shared machine shows here.</summary>
    public required string LoadAverageAtStart { get; init; }

    public static MachineInfo Describe() => new()
    {
        CpuModel = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
        LogicalCpus = Environment.ProcessorCount,
        MemoryMib = File.ReadLines("/proc/meminfo").Where(line => line.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault(),
        OperatingSystem = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux"
            : RuntimeInformation.OSDescription,
        Kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
        DotNet = RuntimeInformation.FrameworkDescription,
        OpenSsl = Run("openssl", "version") ?? "not found",
        LoadAverageAtStart = LoadAverage(),
    };

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
