namespace Gateway.Contracts.Messages;

/// <summary>One field of one message type: its dotted path in the body, shape, data category and sensitivity.</summary>
public sealed record FieldDefinition
{
    /// <summary>Dotted path in the body, e.g. <c>prs_FirstName</c> or <c>child.guardian.prs_MobilePhone</c>.</summary>
    public required string Path { get; init; }

    public required FieldKind Kind { get; init; }

    public required DataCategory Category { get; init; }

    public Sensitivity Sensitivity { get; init; }

    /// <summary>Allowed values of a <see cref="FieldKind.Code"/> or <see cref="FieldKind.CodeList"/> field.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Longest text accepted (characters), for text and each list item.</summary>
    public int MaxLength { get; init; } = 200;

    public bool Required { get; init; }

    /// <summary>True when the name and meaning are HTCDS v2.0's.</summary>
    public bool Htcds { get; init; }

    public required string Description { get; init; }
}
