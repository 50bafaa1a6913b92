using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench.Machine;

/// <summary>
/// What Linux says about a process and the machine under /proc: CPU ticks (utime+stime), resident memory and its
/// high-water mark, whole-machine busy and idle ticks. No profiler is installed here; these numbers are the profile.
/// </summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of the tick counts in /proc (USER_HZ).</summary>
    public static int TicksPerSecond { get; } = ReadTicksPerSecond();

    /// <summary>utime+stime of a process in ticks, or null when it is gone.</summary>
    public static long? CpuTicks(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? null : long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The parent process id (field 4 of /proc/PID/stat), or null when the process is gone.</summary>
    public static int? ParentId(int pid) =>
        StatFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The process listening on a loopback TCP port (the broker, the database server): the socket's inode from
    /// /proc/net/tcp*, then the process holding a descriptor to it. Null when nothing visible listens there.
    /// </summary>
    public static int? ListeningProcess(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

                // local_address is HEXIP:HEXPORT; state 0A is LISTEN; column 9 is the inode.
                if (columns.Length > 9 && columns[3] == "0A"
                    && int.Parse(columns[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{columns[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var pid in ProcessIds())
        {
            try
            {
                foreach (var descriptor in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(descriptor).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to look at.
            }
        }

        return null;
    }

    /// <summary>The NUL-separated command line of a process as one string, or empty.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>VmRSS and VmHWM (peak resident set) in KiB, or null when the process is gone.</summary>
    public static (long RssKib, long PeakRssKib)? Memory(int pid)
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kib(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kib(line);
                }
            }

            return (rss, peak);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Proportional set size in KiB (/proc/PID/smaps_rollup): shared pages divided among the processes sharing them,
    /// so the sum over a server's processes (PostgreSQL's shared buffers) is not counted once per backend.
    /// </summary>
    public static long? ProportionalKib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(text => text.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? null : Kib(line);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Busy and total ticks of all CPUs together since boot (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = parts.Skip(1).Take(8).Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();

        // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
        var total = values.Sum();
        return (total - values[3] - values[4], total);
    }

    /// <summary>Every process id currently listed in /proc.</summary>
    public static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name is { Length: > 0 } && name.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture));

    /// <summary>The fields after the command name: index 0 is the state (field 3), 11 utime, 12 stime, 19 starttime.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static int ReadTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100; // Linux's USER_HZ nearly everywhere.
        }
    }
}
