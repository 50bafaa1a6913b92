namespace Gateway.Contracts.Messages;

/// <summary>Sensitivity marks of a field (DESIGN §5).</summary>
[Flags]
public enum Sensitivity
{
    None = 0,

    /// <summary>Identifies a person on its own or together with little else.</summary>
    Identifying = 1,

    /// <summary>A special category under GDPR Art. 9 (health, sex life, ...).</summary>
    SpecialCategory = 2,

    /// <summary>Criminal-offence data under GDPR Art. 10.</summary>
    CriminalOffence = 4,

    /// <summary>Free text a person writes: it can carry anything, so it is disclosed only where a profile names it.</summary>
    FreeText = 8,

    /// <summary>Migration or residence status, or what implies it: it can be used against the person (removal, detention, threats).</summary>
    MigrationStatus = 16,
}
