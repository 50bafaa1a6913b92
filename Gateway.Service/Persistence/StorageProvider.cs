namespace Gateway.Service.Persistence;

public enum StorageProvider
{
    /// <summary>Embedded, single node, the default and the demo's.</summary>
    Sqlite,

    /// <summary>Production, and required for several gateway processes serving one node.</summary>
    Postgres,
}
