namespace Gateway.Service.Persistence.Schema;

/// <summary>
/// One step of the schema: the DDL that takes a database from <see cref="Version"/> − 1 to <see cref="Version"/>.
/// Migrations are history: once released, one is never edited, only followed by the next.
/// </summary>
/// <param name="Sql">DDL with <c>{blob}</c> and <c>{autoincrement}</c> for the types that differ between databases.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
