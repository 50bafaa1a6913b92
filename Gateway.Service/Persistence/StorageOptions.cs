using Microsoft.Extensions.Configuration;

namespace Gateway.Service.Persistence;

/// <summary>Where the node keeps its data (configuration section <c>Gateway</c>: <c>Storage</c> and <c>ConnectionString</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Gateway";

    [ConfigurationKeyName("Storage")]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite: <c>Data Source=path</c>; PostgreSQL: an Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = string.Empty;
}
