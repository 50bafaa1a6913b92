namespace Gateway.Testing.Repository;

/// <summary>The checkout the binaries were built from: the nearest folder above them (else above the current folder) that holds Gateway.sln.</summary>
public static class RepositoryRoot
{
    private const string Marker = "Gateway.sln";

    /// <summary>The checkout's root folder; throws when neither the binaries nor the current folder are inside one.</summary>
    public static string Find() =>
        TryFind() ?? throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} or {Environment.CurrentDirectory} holds {Marker}");

    /// <summary>The checkout's root folder, or null when neither the binaries nor the current folder are inside one.</summary>
    public static string? TryFind()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, Marker)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>A path under the checkout's root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Find(), .. parts]);
}
