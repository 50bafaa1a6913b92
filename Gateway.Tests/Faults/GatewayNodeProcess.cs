using System.Diagnostics;
using Gateway.Tests.Cli;

namespace Gateway.Tests.Faults;

/// <summary>
/// One gateway node as its own OS process (<c>gateway run --pki ... --node ...</c>), which a test can kill -9 and start
/// again. Everything each incarnation prints goes to its own log file, kept in the test output folder as evidence.
/// </summary>
internal sealed class GatewayNodeProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly string[] _arguments;
    private readonly string _logDirectory;
    private readonly HttpClient _health;
    private readonly List<string> _logFiles = [];
    private Process? _process;
    private StreamWriter? _log;

    public GatewayNodeProcess(string name, string nodeId, int internalPort, string pki, IReadOnlyDictionary<string, string?> environment, string[] arguments, string logDirectory)
    {
        Name = name;
        NodeId = nodeId;
        InternalPort = internalPort;
        _environment = environment;
        _arguments = arguments;
        _logDirectory = logDirectory;
        _health = InternalApi.Caseworker(pki, nodeId, internalPort, TimeSpan.FromSeconds(2));
    }

    /// <summary>Which process of the test this is (<c>EE-SKA</c>, <c>EE-SKA-b</c>, ...).</summary>
    public string Name { get; }

    public string NodeId { get; }

    public int InternalPort { get; }

    public IReadOnlyList<string> LogFiles => _logFiles;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts an incarnation and waits until <c>/health/ready</c> answers (store reachable, listeners up).</summary>
    public async Task StartAsync(TimeSpan deadline)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} already runs");
        }

        Directory.CreateDirectory(_logDirectory);
        var file = Path.Combine(_logDirectory, $"{Name}-{_logFiles.Count + 1}.log");
        _logFiles.Add(file);
        var log = new StreamWriter(file, append: false) { AutoFlush = true };
        _log = log;
        var process = GatewayProcess.Start(_environment, _arguments);
        _process = process;
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data is null ? null : "stderr: " + line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Write(log, $"---- test: started pid {process.Id} at {DateTimeOffset.UtcNow:O}");

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting; see {file}:\n{Tail(file)}");
            }

            try
            {
                using var response = await _health.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} not ready after {deadline.TotalSeconds} s; see {file}:\n{Tail(file)}");
    }

    /// <summary>kill -9: no shutdown, no flushing, connections cut mid-request.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        // Also drains the redirected output up to the last line the process wrote.
        await process.WaitForExitAsync();
        Write(_log, $"---- test: killed at {DateTimeOffset.UtcNow:O}");
        process.Dispose();
        _process = null;
        if (_log is { } log)
        {
            lock (log)
            {
                log.Dispose();
            }

            _log = null;
        }
    }

    /// <summary>The lines of every incarnation's log that mention <paramref name="text"/>.</summary>
    public IEnumerable<string> LinesWith(string text) =>
        _logFiles.Where(File.Exists).SelectMany(file => ReadShared(file).Where(line => line.Contains(text, StringComparison.Ordinal)).Select(line => $"{Path.GetFileName(file)}: {line}"));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _health.Dispose();
    }

    private static void Write(StreamWriter? log, string? line)
    {
        if (log is null || line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the incarnation was closed.
            }
        }
    }

    private static string Tail(string file) => string.Join('\n', ReadShared(file).TakeLast(30));

    private static IEnumerable<string> ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
