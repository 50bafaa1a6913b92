namespace Gateway.Contracts.Messages.Bodies;

/// <summary>The person's arrival in the partner's state or return from it.</summary>
public sealed record LogisticsBlock
{
    /// <summary><c>Arrival</c> or <c>Return</c>.</summary>
    public string? Kind { get; init; }

    public string? Transport { get; init; }

    public string? DeparturePlace { get; init; }

    public string? ArrivalPlace { get; init; }

    public DateTimeOffset? ExpectedArrival { get; init; }

    public string? EscortedBy { get; init; }

    public string? MeetingPoint { get; init; }
}
