using System.Diagnostics;
using System.Globalization;
using Gateway.Testing.Caseworker;

namespace Gateway.Testing.Nodes;

/// <summary>
/// One gateway node as its own OS process (<c>gateway run --pki ... --node ...</c>), as an operator runs it, which a
/// caller can kill -9 and start again. Everything each incarnation prints goes to its own log file, and the lines are
/// counted, as logging is part of what a node costs.
/// </summary>
public sealed class GatewayNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(100);

    private readonly GatewayNodeProcessOptions _options;
    private readonly HttpClient _health;
    private readonly List<string> _logFiles = [];
    private Process? _process;
    private StreamWriter? _log;
    private long _lines;

    public GatewayNodeProcess(GatewayNodeProcessOptions options)
    {
        _options = options;
        _health = CaseworkerHttp.Create(options.Pki, options.NodeId, options.InternalPort, TimeSpan.FromSeconds(2));
    }

    /// <inheritdoc cref="GatewayNodeProcessOptions.Name"/>
    public string Name => _options.Name;

    public string NodeId => _options.NodeId;

    public int InternalPort => _options.InternalPort;

    /// <summary>Every incarnation's log file, the current one last.</summary>
    public IReadOnlyList<string> LogFiles => _logFiles;

    /// <summary>Lines every incarnation has printed so far, stdout and stderr.</summary>
    public long LogLines => Interlocked.Read(ref _lines);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The current incarnation's process id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{Name} has not been started");

    /// <summary>Starts an incarnation and waits until <c>/health/ready</c> answers (store and broker reachable, listeners up).</summary>
    public async Task StartAsync(TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} already runs");
        }

        Directory.CreateDirectory(_options.LogDirectory);
        var file = Path.Combine(_options.LogDirectory, $"{Name}-{_logFiles.Count + 1}.log");
        _logFiles.Add(file);
        var log = new StreamWriter(file, append: false) { AutoFlush = _options.FlushEachLine };
        _log = log;
        var process = GatewayProcess.Start(_options.Environment, [.. _options.Arguments]);
        _process = process;
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data is null ? null : "stderr: " + line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Write(log, Marker($"started pid {process.Id}"));

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting; see {file}:\n{Tail(file)}");
            }

            try
            {
                using var response = await _health.GetAsync("/health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when ((exception is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(ReadyPoll, cancellationToken);
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
            // Only the process this object started, by its own handle.
            process.Kill(entireProcessTree: true);
        }

        // Also drains the redirected output up to the last line the process wrote.
        await process.WaitForExitAsync();
        Write(_log, Marker("killed"));
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
    public IEnumerable<string> LinesWith(string text)
    {
        FlushLog();
        return _logFiles.Where(File.Exists).SelectMany(file => ReadShared(file).Where(line => line.Contains(text, StringComparison.Ordinal)).Select(line => $"{Path.GetFileName(file)}: {line}"));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _health.Dispose();
    }

    private string Marker(string what) =>
        string.Create(CultureInfo.InvariantCulture, $"---- {_options.RunBy}: {what} at {DateTimeOffset.UtcNow:O}");

    private void Write(StreamWriter? log, string? line)
    {
        if (log is null || line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
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

    private void FlushLog()
    {
        if (_log is not { } log)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.Flush();
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile: nothing left in its buffer.
            }
        }
    }

    private string Tail(string file)
    {
        FlushLog();
        return string.Join('\n', ReadShared(file).TakeLast(30));
    }

    private static List<string> ReadShared(string file)
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
