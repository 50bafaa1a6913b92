namespace Gateway.Contracts.Envelopes;

public static class SchemaVersions
{
    /// <summary>The envelope header and body schema this build writes.</summary>
    public const string Current = "1.0";

    /// <summary>
    /// Any 1.x: minor versions only add optional fields, which readers ignore; a new major version is a
    /// breaking change that a node must be upgraded to read.
    /// </summary>
    public static bool IsSupported(string? version) =>
        version is not null && version.StartsWith("1.", StringComparison.Ordinal) && int.TryParse(version.AsSpan(2), out var minor) && minor >= 0;
}
