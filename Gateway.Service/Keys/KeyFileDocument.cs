namespace Gateway.Service.Keys;

/// <summary>The key file's JSON.</summary>
internal sealed record KeyFileDocument
{
    public required string Format { get; init; }

    public required long Epoch { get; init; }

    public required string Protection { get; init; }

    public int Iterations { get; init; }

    public string? Salt { get; init; }

    public string? Nonce { get; init; }

    public string? Tag { get; init; }

    public required string Key { get; init; }
}
