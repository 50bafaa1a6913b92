using Gateway.Crypto.Certificates;

namespace Gateway.Service.Node;

/// <summary>
/// Keeps the node's CRLs current without a restart (DESIGN §17): reads the CRL files again when they change (watched,
/// and read every <see cref="PollInterval"/> as well, since a watch can miss a change on a network file system), and
/// alerts operators while a CRL is past its nextUpdate, before its grace period runs out and after.
/// </summary>
internal sealed partial class CrlWatcher(CrlFiles files, CrlStore store, TimeProvider time, ILogger<CrlWatcher> logger) : BackgroundService
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>A file that changed may still be being written: read it once the writer is likely done.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>An alert that still holds is written again this often.</summary>
    private static readonly TimeSpan AlertRepeat = TimeSpan.FromHours(1);

    private readonly Signal _changed = new();

    private readonly Dictionary<string, (bool Refusing, DateTimeOffset At)> _alerted = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (files.Paths.Count == 0)
        {
            return;
        }

        var watchers = Watch();
        try
        {
            AlertStale();
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(PollInterval, stoppingToken);
                await Task.Delay(Settle, time, stoppingToken);
                Reload();
                AlertStale();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private void Reload()
    {
        var reload = files.Reload();
        foreach (var (file, problem) in reload.Broken)
        {
            LogBrokenFile(logger, file, problem);
        }

        if (reload.Changed.Count > 0)
        {
            store.Replace(files.Lists);
            foreach (var file in reload.Changed)
            {
                LogReloaded(logger, file);
            }
        }
    }

    private void AlertStale()
    {
        var now = time.GetUtcNow();
        foreach (var crl in store.NewestPerIssuer())
        {
            var refusedFrom = store.RefusedFrom(crl);
            if (now <= crl.NextUpdate)
            {
                _alerted.Remove(crl.Issuer);
                continue;
            }

            var refusing = now > refusedFrom;
            if (_alerted.TryGetValue(crl.Issuer, out var last) && last.Refusing == refusing && now - last.At < AlertRepeat)
            {
                continue;
            }

            _alerted[crl.Issuer] = (refusing, now);
            if (refusing)
            {
                LogRefusing(logger, crl.Issuer, crl.Source, crl.NextUpdate, refusedFrom);
            }
            else
            {
                LogStale(logger, crl.Issuer, crl.Source, crl.NextUpdate, refusedFrom);
            }
        }
    }

    /// <summary>One watch per folder holding a CRL file: editors and Kubernetes volumes replace files by renaming, which a watch on the file itself would miss.</summary>
    private List<FileSystemWatcher> Watch()
    {
        var watchers = new List<FileSystemWatcher>();
        foreach (var folder in files.Paths.Select(path => Path.GetDirectoryName(Path.GetFullPath(path))!).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += (_, _) => _changed.Notify();
                watcher.Created += (_, _) => _changed.Notify();
                watcher.Deleted += (_, _) => _changed.Notify();
                watcher.Renamed += (_, _) => _changed.Notify();
                watcher.Error += (_, _) => _changed.Notify();
                watcher.EnableRaisingEvents = true;
                watchers.Add(watcher);
            }
            catch (Exception exception) when (exception is IOException or ArgumentException or PlatformNotSupportedException)
            {
                LogNotWatched(logger, folder, PollInterval);
            }
        }

        return watchers;
    }

    private sealed class Signal : WakeSignal;

    [LoggerMessage(Level = LogLevel.Information, Message = "CRLs read again from {File}; they apply from now on")]
    private static partial void LogReloaded(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "ALERT: the CRL file {File} cannot be used ({Problem}); the CRLs read from it before still apply")]
    private static partial void LogBrokenFile(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "ALERT: the CRL of {Issuer} ({File}) was due for renewal at {NextUpdate:O}; its certificates are refused from {RefusedFrom:O} unless a current CRL is configured")]
    private static partial void LogStale(ILogger logger, string issuer, string file, DateTimeOffset nextUpdate, DateTimeOffset refusedFrom);

    [LoggerMessage(Level = LogLevel.Error, Message = "ALERT: the CRL of {Issuer} ({File}) was due for renewal at {NextUpdate:O} and its grace period ended at {RefusedFrom:O}: its certificates are refused (REVOCATION_UNKNOWN) until a current CRL is configured")]
    private static partial void LogRefusing(ILogger logger, string issuer, string file, DateTimeOffset nextUpdate, DateTimeOffset refusedFrom);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder {Folder} cannot be watched; its CRL files are read every {Interval} only")]
    private static partial void LogNotWatched(ILogger logger, string folder, TimeSpan interval);
}
