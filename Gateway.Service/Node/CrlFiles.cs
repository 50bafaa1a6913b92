using System.Security.Cryptography;
using Gateway.Crypto.Certificates;

namespace Gateway.Service.Node;

/// <summary>
/// The configured CRL files (<see cref="NodeOptions.CrlFiles"/>) and the CRLs last read from each. A file that changed
/// is read again; one that has become unreadable, or holds no CRL this node can use, keeps what was read from it
/// before, so a half-written or broken file never drops a revocation.
/// </summary>
internal sealed class CrlFiles
{
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);

    /// <summary>Reads every file; one that cannot be used stops the node at start, naming its setting (<paramref name="setting"/>, default <c>Gateway:CrlFiles</c>).</summary>
    public CrlFiles(IReadOnlyList<string> paths, string? setting = null)
    {
        setting ??= $"{NodeOptions.Section}:{nameof(NodeOptions.CrlFiles)}";
        ArgumentNullException.ThrowIfNull(paths);
        Paths = [.. paths.Distinct(StringComparer.Ordinal)];
        for (var i = 0; i < paths.Count; i++)
        {
            if (_files.ContainsKey(paths[i]))
            {
                continue;
            }

            try
            {
                var bytes = File.ReadAllBytes(paths[i]);
                _files[paths[i]] = new FileState(SHA256.HashData(bytes), RevocationList.Read(bytes, paths[i]));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or RevocationListException)
            {
                throw new InvalidOperationException($"The gateway configuration is not valid: {setting}:{i} {Describe(exception, paths[i])}");
            }
        }
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Every CRL read, from every file, as last read successfully.</summary>
    public IEnumerable<RevocationList> Lists => Paths.SelectMany(path => _files[path].Lists);

    /// <summary>Null when <paramref name="path"/> holds CRLs this node can use, else what is wrong (for the options validator).</summary>
    public static string? Problem(string path)
    {
        try
        {
            RevocationList.Read(File.ReadAllBytes(path), path);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or RevocationListException)
        {
            return Describe(exception, path);
        }
    }

    /// <summary>Reads every file again. Each changed file that holds usable CRLs replaces what was read from it; each broken one is reported once per version.</summary>
    public CrlReload Reload()
    {
        var changed = new List<string>();
        var broken = new List<(string File, string Problem)>();
        foreach (var path in Paths)
        {
            var known = _files[path];
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (known.BrokenVersion is not { Length: 0 })
                {
                    _files[path] = known with { BrokenVersion = [] };
                    broken.Add((path, exception is FileNotFoundException or DirectoryNotFoundException ? "it does not exist" : $"it cannot be read ({exception.GetType().Name})"));
                }

                continue;
            }

            var hash = SHA256.HashData(bytes);
            if (hash.AsSpan().SequenceEqual(known.Hash))
            {
                _files[path] = known with { BrokenVersion = null };
                continue;
            }

            if (known.BrokenVersion is { } seen && hash.AsSpan().SequenceEqual(seen))
            {
                continue;
            }

            try
            {
                _files[path] = new FileState(hash, RevocationList.Read(bytes, path));
                changed.Add(path);
            }
            catch (RevocationListException exception)
            {
                _files[path] = known with { BrokenVersion = hash };
                broken.Add((path, exception.Problem));
            }
        }

        return new CrlReload(changed, broken);
    }

    private static string Describe(Exception exception, string path) => exception switch
    {
        RevocationListException => exception.Message,
        FileNotFoundException or DirectoryNotFoundException => $"{path} does not exist",
        _ => $"{path} cannot be read ({exception.GetType().Name})",
    };

    /// <summary>The hash of the version the CRLs came from; the hash of a broken version already reported (empty: the file could not be read).</summary>
    private sealed record FileState(byte[] Hash, IReadOnlyList<RevocationList> Lists, byte[]? BrokenVersion = null);
}
