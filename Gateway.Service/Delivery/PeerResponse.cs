namespace Gateway.Service.Delivery;

/// <summary>What came back from one POST to a peer, or why nothing did.</summary>
internal sealed record PeerResponse
{
    public int? Status { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>The peer's problem code, or a local one: TIMEOUT, CONNECTION_FAILED, CIRCUIT_OPEN.</summary>
    public string? Code { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Worth trying again: no answer, a 5xx, 408 or 429. Any other 4xx is the peer's final word.</summary>
    public bool IsTransient => Status is null or >= 500 or 408 or 429;
}
