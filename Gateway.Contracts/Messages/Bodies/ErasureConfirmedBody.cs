namespace Gateway.Contracts.Messages.Bodies;

/// <summary>Body of <c>ErasureConfirmed</c>: the content of the conversation (the header's) is erased. Its members are the catalogue paths of <see cref="FieldCatalogue"/>; a test keeps the two equal.</summary>
public sealed record ErasureConfirmedBody
{
    public required DateTimeOffset ErasedAt { get; init; }

    public int? ErasedMessageCount { get; init; }

    /// <summary><c>Metadata</c>, <c>AuditLog</c>: never content.</summary>
    public IReadOnlyList<string>? Retained { get; init; }
}
