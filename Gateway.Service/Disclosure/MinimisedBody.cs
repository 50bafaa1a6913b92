using System.Text.Json.Nodes;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Disclosure;

/// <summary>What the recipient will receive, and what was held back.</summary>
public sealed record MinimisedBody
{
    public required JsonObject Body { get; init; }

    /// <summary>Paths of the fields disclosed, sorted: what the audit log records.</summary>
    public required IReadOnlyList<string> Disclosed { get; init; }

    public required IReadOnlyList<WithheldField> Withheld { get; init; }

    /// <summary>Categories about the person among the disclosed fields: what the legal basis must cover.</summary>
    public required IReadOnlyList<DataCategory> SubjectCategories { get; init; }
}
