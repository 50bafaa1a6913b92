using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Federation;

/// <summary>The lines a node logs (at the level its host lets through), kept for the test to read: add it with <see cref="AddTo"/>.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    /// <summary>The first line that contains every one of <paramref name="parts"/>, waiting for it until the deadline; null if none came.</summary>
    public async Task<string?> WaitForAsync(TimeSpan deadline, params string[] parts)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_lines.FirstOrDefault(line => parts.All(part => line.Contains(part, StringComparison.Ordinal))) is { } line)
            {
                return line;
            }

            if (clock.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(50);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
