using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// One gateway node as its own OS process (<c>dotnet gateway.dll run --pki ... --node ...</c>), as an operator runs it.
/// Everything it prints goes to a log file; the number of lines is kept, as logging is part of what a node costs.
/// </summary>
internal sealed class GatewayNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private long _lines;

    private GatewayNodeProcess(string nodeId, Process process, StreamWriter log, string logFile)
    {
        NodeId = nodeId;
        _process = process;
        _log = log;
        LogFile = logFile;
    }

    public string NodeId { get; }

    public int ProcessId => _process.Id;

    public string LogFile { get; }

    public long LogLines => Interlocked.Read(ref _lines);

    /// <summary>The gateway's entry assembly as built beside this tool (a project reference copies it here).</summary>
    public static string GatewayDll => typeof(Gateway.Service.Hosting.GatewayHost).Assembly.Location;

    public static GatewayNodeProcess Start(string nodeId, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile)
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
            start.Environment[name] = value;
        }

        var log = new StreamWriter(logFile, append: false) { AutoFlush = false };
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        var node = new GatewayNodeProcess(nodeId, process, log, logFile);
        process.OutputDataReceived += (_, line) => node.Write(line.Data);
        process.ErrorDataReceived += (_, line) => node.Write(line.Data is null ? null : "stderr: " + line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        node.Write($"---- bench: started pid {process.Id} at {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}");
        return node;
    }

    /// <summary>Waits until <c>/health/ready</c> answers (store and broker reachable, listeners up).</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{NodeId} exited with {_process.ExitCode} while starting; see {LogFile}:\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{NodeId} not ready after {deadline.TotalSeconds} s; see {LogFile}:\n{Tail()}");
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Only the process this run started, by its own handle.
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        Write($"---- bench: stopped at {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}");
        lock (_log)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the process was stopped.
            }
        }
    }

    private string Tail()
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(30));
    }
}
