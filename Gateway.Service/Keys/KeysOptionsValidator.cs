using Gateway.Service.Node;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Keys;

/// <summary>The key-encryption key must be set and must not live where the data lives: a copy of the data folder must not carry the key to it.</summary>
internal sealed class KeysOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        var problems = new OptionsProblems(KeysOptions.Section);
        problems.Require(options.KeyEncryptionKeyFile, nameof(options.KeyEncryptionKeyFile));
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile) && DataFolder(storage.Value) is { } data)
        {
            var file = Path.GetFullPath(options.KeyEncryptionKeyFile);
            problems.Check(!file.StartsWith(data, StringComparison.Ordinal), nameof(options.KeyEncryptionKeyFile),
                $"must be outside the node's data folder {data}: a copy of the data folder must not carry the key that opens it");
        }

        return problems.Result();
    }

    /// <summary>The folder of the SQLite database, with a trailing separator; none for PostgreSQL.</summary>
    internal static string? DataFolder(StorageOptions storage)
    {
        if (storage.Provider != StorageProvider.Sqlite)
        {
            return null;
        }

        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:"
            ? null
            : Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(Path.GetFullPath(source))!) + Path.DirectorySeparatorChar;
    }
}
